// DESIGN principle 9 / issue 15 item 2: journal events are one typed union, and their names
// are spelled only in src/journal/events.ts; everything else names them through
// JOURNAL_EVENTS, so the compiler checks each writer's data against its event.
// Some spellings have a second meaning: an error code (`code: 'ceremony.paused'`, a refusal
// because the ceremony is paused) is let through; the machine's own events `share.accepted`
// and `share.refused` (what the share desk sends) are counted per file, and the count may only
// go down. Comments may name events.
import t from 'tap';
import { JOURNAL_EVENTS } from '../../src/journal/events.js';
import { sourceFiles } from './helpers/source-graph.js';

const names = Object.values(JOURNAL_EVENTS);
/** Machine event types spelled like a journal event, and the files that send or handle them. */
const MACHINE_EVENTS = ['share.accepted', 'share.refused'];
const MACHINE_EVENT_USES: Record<string, number> = {
  'src/ceremony/types.ts': 2,
  'src/ceremony/driver.ts': 2,
  'src/ceremony/compile.ts': 7,
  // offer's share.accepted and share.refused, and the refusal at a share's header group (refusedAtHeader).
  'src/ui/share-desk.ts': 3,
};

/** The code without its comments (a comment may mention an event by name). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function spelledOut(text: string): string[] {
  return [...withoutComments(text).matchAll(literal)].filter((m) => m[1] === undefined).map((m) => m[2]!);
}
const escaped = names.map((name) => name.replace(/[.-]/g, (c) => `\\${c}`));
const literal = new RegExp(`(code:\\s*)?['"\`](${escaped.join('|')})['"\`]`, 'g');

t.test('no journal event name as a string literal outside src/journal/events.ts', async (t) => {
  t.ok(names.length >= 30, `${names.length} event names scanned`);
  const files = sourceFiles();
  t.ok(
    files.some((f) => f.path === 'src/journal/events.ts'),
    'the events module is among the files scanned',
  );
  for (const file of files) {
    if (file.path === 'src/journal/events.ts') continue;
    const found = spelledOut(file.text);
    const machine = found.filter((name) => MACHINE_EVENTS.includes(name));
    t.same(
      found.filter((name) => !MACHINE_EVENTS.includes(name)),
      [],
      `${file.path}: event names spelled out`,
    );
    t.ok(
      machine.length <= (MACHINE_EVENT_USES[file.path] ?? 0),
      `${file.path}: ${machine.length} machine events spelled like journal events, at most ${MACHINE_EVENT_USES[file.path] ?? 0}`,
    );
  }
});

t.test('the scan finds an event name spelled out, and lets an error code through', async (t) => {
  const sample = "journal.append({ event: 'step.completed' }); // not 'step.started'\nthrow new E('x', { code: 'ceremony.paused' }); /* 'step.failed' */";
  t.same(spelledOut(sample), ['step.completed']);
});
