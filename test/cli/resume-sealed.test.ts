// Killed on the closing read-aloud (after the seal, before a witness acknowledged, review16g
// item 2): `resume` said "already sealed; nothing to resume", showed no hash and wrote no
// report. The seal is the journal's last record, so the acknowledgement cannot be journaled:
// resume of a sealed journal writes the reports that are missing and prints the final hash
// and its PGP words again (in --lang), with the witness's signature on the paper log to take.
import t from 'tap';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const REPORT_FIXTURES = new URL('../report/fixtures/', import.meta.url).pathname;
const definition = join(REPORT_FIXTURES, 'report.yaml');
const answers = join(REPORT_FIXTURES, 'report.answers.yaml');

const fx = softhsm(t);
const workdir = newWorkdir(fx);
const ceremony = await runCeremony(fx, { definition, profile: fx.profile({ test: 'REPORT-TEST' }), workdir, answers });
t.equal(ceremony.code, 0, ceremony.stderr);
const seal = journalRecords(workdir).at(-1)!;
t.equal(seal.event, 'ceremony.sealed');
const groups = groupedHex(seal.hash).split(' ');
const words = pgpWords(Buffer.from(seal.hash, 'hex')).split(' ');

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: resume of a sealed journal prints the hash and words again and writes the missing report`, async (t) => {
    // As if killed before the run wrote its reports: the one that is there stays as it is.
    const html = readFileSync(join(workdir, 'report.html'), 'utf8');
    rmSync(join(workdir, 'report.md'));
    const resumed = await keyceremonyInProcess(['resume', workdir, '--answers', answers, '--lang', lang], { env: fx.env });
    t.equal(resumed.code, 0, resumed.stderr);
    t.ok(existsSync(join(workdir, 'report.md')), 'report.md written from the journal');
    t.equal(readFileSync(join(workdir, 'report.html'), 'utf8'), html, 'report.html left as the run wrote it');
    t.notMatch(resumed.stdout, /report\.html/, 'nothing said of the report that was there');
    const out = resumed.stdout;
    t.match(out, lang === 'en' ? 'keyceremony: final journal hash (SHA-256):' : 'keyceremony: 日誌最終雜湊值（SHA-256）：');
    t.match(out, `keyceremony:   ${groups.slice(0, 8).join(' ')}\n`);
    t.match(out, `keyceremony:   ${groups.slice(8).join(' ')}\n`);
    t.match(out, lang === 'en' ? 'keyceremony: in words (PGP word list):' : 'keyceremony: 以字詞表示（PGP 字詞表）：');
    t.match(out, `keyceremony:   ${words.slice(0, 6).join(' ')}\n`);
    t.match(
      out,
      lang === 'en'
        ? "a witness signs the paper log beside this hash: the seal is the journal's last record, so the acknowledgement is on paper, not in the journal"
        : '請見證人於紙本紀錄上此雜湊值旁簽名確認',
    );
    t.equal(journalRecords(workdir).at(-1)!.hash, seal.hash, 'nothing written after the seal');
  });
}
