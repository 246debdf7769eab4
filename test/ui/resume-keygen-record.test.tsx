// After a kill -9 on the key's read-aloud screen in hca-g3-keygen and a resume, the record line
// of the key generation lost its fingerprint in a real terminal (close16j item 19): before
// "✓ 4/11 keygen … key HCA-G3 … SHA-256 3B5E CC19 …", after only "✓ 4/11 keygen  Generate the
// key pair · 王大明 Wang, 林秀英 Lin". The context rebuilt from the journal had it; the screen
// lost it: with the resume notice (three rows) the read-aloud page came to 24 rows, the
// terminal's full height, and ink's redraw of a frame that tall erased the last line printed
// above it, the key's record line. Ink-testing-library is no TTY and keeps every line, so
// this checks the cause (the live frame stays below the terminal's height, one row free, as
// every screen is laid out) and that the fingerprint shown after the resume is the one the
// run recorded and openssl computes from the public key; test/e2e/ui-tmux.test.ts sees it in
// a real terminal.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createActor } from 'xstate';
import { compileCeremony } from '../../src/ceremony/compile.js';
import { readHeader } from '../../src/ceremony/journal-header.js';
import { rebuildFromJournal } from '../../src/ceremony/rebuild.js';
import { readoutToRepeat, stepOnScreenAtEnd } from '../../src/ceremony/resume-readout.js';
import { resumptionOf } from '../../src/ceremony/resumption.js';
import { ShareHandouts } from '../../src/ceremony/handouts.js';
import { parseDefinition } from '../../src/definition/loader.js';
import { SecretStore } from '../../src/quorum/index.js';
import { translator } from '../../src/ui/i18n/index.js';
import { groupedHex } from '../../src/util/fingerprint.js';
import { journalRecords } from '../helpers/ceremony.js';
import { prepareChain } from '../helpers/chain.js';
import { renderApp } from './helpers/app.js';

const chain = await prepareChain(t, 'hca-g3-keygen', { keys: 'ec-p384' });
const workdir = chain.workdirs['hca-g3-keygen']!;
const all = journalRecords(workdir);
// Killed on the read-aloud of keygen: the journal's last record is already the next step's start.
const records = all.slice(0, all.findIndex((r) => r.event === 'step.started' && r.step === 'keygen-confirmed') + 1);
const keygen = records.find((r) => r.event === 'step.completed' && r.step === 'keygen')!;
const recorded = (keygen.data.keys as Array<{ spkiSha256: string }>)[0]!.spkiSha256;
// The public key as openssl reads it from the request the same run made with the key.
const computed = spawnSync(
  'sh',
  ['-c', 'openssl req -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum', 'sh', join(workdir, 'outputs', 'hca-g3.csr')],
  {
    encoding: 'utf8',
  },
);
t.equal(computed.status, 0, computed.stderr);
t.equal(computed.stdout.split(' ')[0], recorded, "the journal's fingerprint is the SHA-256 of the public key's DER (openssl)");

const header = readHeader(records[0]!, 'journal.jsonl');
const definition = parseDefinition(join(workdir, 'definition.yaml'), readFileSync(join(workdir, 'definition.yaml'), 'utf8'), { checkFiles: false });

/** The ceremony as `resume` starts it after that crash: rebuilt from the journal, the restart heard. */
function resumed() {
  const input = { inputs: header.inputs, shareSets: header.shareSets };
  const rebuilt = rebuildFromJournal(definition, input, records);
  const machine = compileCeremony(definition).provide({ actions: { journal: () => undefined } });
  const actor = createActor(machine, { input, snapshot: machine.resolveState({ value: rebuilt.value, context: rebuilt.context }) });
  actor.start();
  actor.send({ type: 'process.restarted' });
  return actor;
}

/** The live frame: from the header (its first line) to the footer, without the record printed above it. */
function liveRows(frame: string): number {
  const lines = frame.replace(/\n+$/, '').split('\n');
  return lines.length - lines.findIndex((line) => /^(DRY RUN|演練) · /.test(line));
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: after the crash on the key's read-aloud, the same fingerprint, on screen and in the record line`, async (t) => {
    const actor = resumed();
    t.teardown(() => actor.stop());
    const secrets = new SecretStore();
    const ui = renderApp(
      {
        actor,
        definition,
        secrets,
        handouts: new ShareHandouts(secrets),
        workdir,
        lang,
        dryRun: true,
        stopRequested: () => undefined,
        readoutFrom: readoutToRepeat(definition, records),
        resumed: resumptionOf(records, stepOnScreenAtEnd(definition, records)),
      },
      lang,
    );
    t.teardown(ui.unmount);
    const groups = groupedHex(recorded).split(' ');
    const readout = await ui.waitFor(tr('readout.ack'));
    t.match(readout, tr('resumed.titleCrashed'), 'the resume notice is on the read-aloud screen');
    // The first line of hex sits beside its label (the compact read-aloud of the 80x24 layout).
    t.match(readout, `${groups.slice(0, 8).join(' ')}\n`, 'the fingerprint read aloud again is the recorded one');
    t.match(readout, `    ${groups.slice(8).join(' ')}\n`);
    t.ok(liveRows(readout) <= 23, `the read-aloud page with the notice leaves the bottom row free (${liveRows(readout)} rows of 24)`);
    const shortPrint = `SHA-256 ${groups.slice(0, 4).join(' ')} …`;
    const recordLine = (frame: string) => frame.split('\n').find((line) => line.includes(shortPrint));
    t.ok(recordLine(readout), "keygen's record line with its fingerprint");
    await ui.press('enter');
    const next = await ui.waitFor(lang === 'en' ? 'Fingerprint from the paper log' : '紙本紀錄上之指紋');
    t.ok(recordLine(next), 'still there on the next screen');
    t.ok(liveRows(next) <= 23);
  });
}
