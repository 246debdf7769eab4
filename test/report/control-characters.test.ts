// Issue 14, finding 11, defence in depth: a journal written before control characters were
// refused (or by anything else) may hold a backspace or `ESC c` in a value. `keyceremony
// report` renders them escaped, as \u0008 and \u001b, in Markdown and HTML, and `journal
// verify` and error lines never print them raw: the terminal is not reset, the paper does
// not hide a letter.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/util/fingerprint.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { header, PARTICIPANTS, records } from './helpers/records.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kc-controls-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// An old journal: a bag number typed with a backspace, a place with ESC c (terminal reset),
// and a participant name with a right-to-left override.
const definitionText = readFileSync(join(FIXTURES, 'report.yaml'), 'utf8');
const workdir = join(dir, 'work');
mkdirSync(workdir);
writeFileSync(join(workdir, 'definition.yaml'), definitionText);
const participants = PARTICIPANTS.map((p) => (p.id === 'carol' ? { ...p, name: '張淑芬 \u202eCarol' } : p));
const journal = records(header(sha256(definitionText).toString('hex')), [
  { step: 'sign-in', event: 'participants.signed-in', who: participants.map((p) => p.id), data: { index: 0, participants } },
  {
    step: 'location',
    event: 'step.completed',
    who: ['alice', 'wendy'],
    data: {
      type: 'record',
      index: 2,
      performer: 'alice',
      witnesses: ['wendy'],
      values: { date: '2026-11-28', place: 'Room\u001bc B1', 'bag-number': 'TB10000\b2' },
    },
  },
]);
writeFileSync(join(workdir, 'journal.jsonl'), journal.map((r) => `${JSON.stringify(r)}\n`).join(''));

const RAW = /[\u0008\u001b\u202e]/;

t.test('report --format md shows the control characters escaped', async (t) => {
  const md = await keyceremonyInProcess(['report', workdir, '--format', 'md', '--lang', 'en']);
  t.equal(md.code, 0, md.stderr);
  t.notMatch(md.stdout, RAW, 'no raw control character in the Markdown');
  t.match(md.stdout, 'Room\\\\u001bc B1', 'ESC c as \\u001b (its backslash escaped for Markdown)');
  t.match(md.stdout, 'TB10000\\\\u00082');
  t.match(md.stdout, '張淑芬 \\\\u202eCarol');
});

t.test('report --format html shows them escaped too', async (t) => {
  const html = await keyceremonyInProcess(['report', workdir, '--format', 'html', '--lang', 'zh-TW']);
  t.equal(html.code, 0, html.stderr);
  t.notMatch(html.stdout, RAW);
  t.match(html.stdout, 'Room\\u001bc B1');
  t.match(html.stdout, 'TB10000\\u00082');
});

t.test('terminal lines never carry them raw', async (t) => {
  // A workdir named with an escape sequence: every line that names it is escaped.
  const odd = join(dir, 'work\u001b[2J');
  mkdirSync(odd);
  const verify = await keyceremonyInProcess(['journal', 'verify', odd]);
  t.equal(verify.code, 2);
  t.notMatch(verify.stderr, RAW, 'the error line');
  t.match(verify.stderr, 'work\\u001b[2J/journal.jsonl does not exist');
});
