// A signal (SIGTERM, or SIGINT from outside the terminal) on the closing read-aloud, after the
// seal: the run stopped as at any other screen and appended `ceremony.interrupted` to the
// sealed journal, which refuses any record after the seal, so the officers got an error about
// the journal instead of the hash (resume16m's note). Now nothing is appended: the run says it
// stopped on the closing screen with the journal sealed and unchanged, prints the hash for the
// paper log, and exits as interrupted; `resume` shows the closing again and writes the reports.
// The UI is stood in for by the answers driver, which takes the ceremony to its seal, and a
// stop reported on the closing screen, as the UI reports it when a signal arrives there.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnswers } from '../../src/ceremony/answers.js';
import { AnswersDriver } from '../../src/ceremony/driver.js';
import { resumeCeremony, runCeremony } from '../../src/ceremony/runner.js';
import { runnerDeps } from '../../src/cli/runner-deps.js';
import { ExitCode } from '../../src/errors.js';
import { groupedHex } from '../../src/util/fingerprint.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const FIXTURES = new URL('../report/fixtures/', import.meta.url).pathname;
const definitionFile = join(FIXTURES, 'report.yaml');
const answersFile = join(FIXTURES, 'report.answers.yaml');

const fx = softhsm(t);

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a signal on the closing screen after the seal appends nothing and exits as interrupted`, async (t) => {
    const workdir = newWorkdir(fx, `after-seal-${lang}`);
    const out: string[] = [];
    const before = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = fx.conf;
    let code: number;
    try {
      code = await runCeremony(
        {
          definitionFile,
          profileFile: fx.profile({ test: `AFTER-SEAL-${lang}` }),
          workdir,
          lang,
          out: (line) => out.push(line),
          interactive: async (session) => {
            const driver = new AnswersDriver({
              definition: session.definition,
              answers: loadAnswers(answersFile, session.definition),
              secrets: session.secrets,
              handouts: session.handouts,
              workdir: session.workdir,
              dryRun: true,
              print: () => undefined,
              lang,
            });
            const reached = await driver.drive(session.actor);
            t.equal(reached.status, 'completed', 'the ceremony reached its seal');
            t.ok(session.seal(), 'the closing screen has its seal');
            // What the UI reports when a signal arrives on the closing screen.
            return { status: 'interrupted' };
          },
        },
        runnerDeps(),
      );
    } finally {
      process.env.SOFTHSM2_CONF = before;
    }
    t.equal(code, ExitCode.interrupted, out.join('\n'));
    const records = journalRecords(workdir);
    const seal = records.at(-1)!;
    t.equal(seal.event, 'ceremony.sealed', 'the seal is still the last record: nothing after it');
    t.notOk(
      records.some((r) => r.event === 'ceremony.interrupted'),
      'no interruption recorded',
    );
    const said = out.join('\n');
    t.match(said, lang === 'en' ? 'stopped on the closing screen: the journal is sealed and stays as it is' : '於結束畫面停止：日誌已封存，維持原狀', said);
    t.match(said, `keyceremony resume ${workdir}`, 'how to show the closing again');
    t.match(said, groupedHex(seal.hash).split(' ').slice(0, 8).join(' '), 'the hash for the paper log, in whole groups');
    t.notMatch(said, /journal\.sealed|nothing can be recorded after the seal|error/i, 'no error about the journal');
    t.notOk(existsSync(join(workdir, 'report.md')), 'no report before the closing is acknowledged');
    const journalBytes = readFileSync(join(workdir, 'journal.jsonl'));
    const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
    t.equal(verify.code, 0, verify.stderr);
    // The scripted resume of a sealed journal: nothing appended, the reports written.
    const resumed: string[] = [];
    process.env.SOFTHSM2_CONF = fx.conf;
    try {
      const again = await resumeCeremony({ workdir, answersFile, lang, out: (line) => resumed.push(line) }, runnerDeps());
      t.equal(again, ExitCode.completed, resumed.join('\n'));
    } finally {
      process.env.SOFTHSM2_CONF = before;
    }
    t.same(readFileSync(join(workdir, 'journal.jsonl')), journalBytes, 'the journal byte for byte as sealed');
    t.ok(existsSync(join(workdir, 'report.md')), 'resume wrote the report');
  });
}
