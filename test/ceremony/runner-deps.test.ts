// Issue 15 item 5: the CLI is the composition root, the runner receives what it works with.
// A fixed clock given to the composition reaches every journal record, at run and at
// resume, and state.json; a stop asked through the injected signals interrupts the run.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resumeCeremony, runCeremony } from '../../src/ceremony/runner.js';
import { runnerDeps } from '../../src/cli/runner-deps.js';
import { formatJournalTime } from '../../src/journal/time.js';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const definitionFile = join(FIXTURES, 'confirm-result', 'keygen.yaml');
const answersFile = join(FIXTURES, 'confirm-result', 'keygen.answers.yaml');
const fx = softhsm(t);

const OPENED = new Date('2026-03-04T05:06:07.089Z');
const RESUMED = new Date('2026-03-05T10:11:12.131Z');

t.test('a fixed clock reaches the journal and state.json at run and at resume', async (t) => {
  const workdir = newWorkdir(fx);
  const profileFile = fx.profile({ test: 'CLOCK-TEST' });
  const out: string[] = [];
  // A stop asked before the first step (as SIGTERM would): the run ends resumable, exit 3.
  const stopAtOnce = runnerDeps({ clock: () => OPENED, listenForStop: (onStop) => (onStop('SIGTERM'), () => undefined) });
  const ran = await runCeremony({ definitionFile, profileFile, workdir, answersFile, lang: 'en', out: (line) => out.push(line) }, stopAtOnce);
  t.equal(ran, 3, out.join('\n'));
  const first = journalRecords(workdir);
  t.same(first.at(-1)?.event, 'ceremony.interrupted');
  t.same(new Set(first.map((r) => r.time)), new Set([formatJournalTime(OPENED)]), 'every record of the run has the injected time');

  const reports: string[] = [];
  const deps = runnerDeps({ clock: () => RESUMED });
  const resumed = await resumeCeremony(
    { workdir, answersFile, lang: 'en', out: (line) => out.push(line) },
    { ...deps, renderReport: (dir, format, lang) => (reports.push(format), deps.renderReport(dir, format, lang)) },
  );
  t.equal(resumed, 0, out.join('\n'));
  const all = journalRecords(workdir);
  t.ok(all.length > first.length + 5, 'the ceremony went on to its seal');
  t.same(new Set(all.slice(first.length).map((r) => r.time)), new Set([formatJournalTime(RESUMED)]), 'every record of the resume has the injected time');
  const state = JSON.parse(readFileSync(join(workdir, 'state.json'), 'utf8')) as { savedAt: string; status: string };
  t.equal(state.savedAt, RESUMED.toISOString());
  t.equal(state.status, 'completed');
  t.same(reports, ['md', 'html'], 'the report the composition root gave made report.md and report.html');
  t.match(readFileSync(join(workdir, 'report.md'), 'utf8'), /confirm-result-test|Confirm the result/);
});
