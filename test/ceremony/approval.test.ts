// Issue 22 item 12: `run` records the script's approval (approver, reference) in the journal's
// first record, before sign-in, and only for the definition the approval names; the report
// shows it. A definition that requires an approval does not run without one. Every refusal
// is exit 2 with the workdir left empty.
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const definition = join(FIXTURES, 'approval', 'approval.yaml');
const answers = join(FIXTURES, 'approval', 'approval.answers.yaml');
const sha256 = loadDefinition(definition).sha256;
const fx = softhsm(t);
fx.initToken('APPROVAL-TEST');
const profile = fx.profile({ test: 'APPROVAL-TEST' });

const approval = (by: string, reference: string, hash: string): string[] => ['--approved-by', by, '--approval', reference, '--approved-sha256', hash];

t.test('the approval is journaled before sign-in and shown in the report, in both languages', async (t) => {
  const workdir = newWorkdir(fx);
  const ran = await runCeremony(fx, {
    definition,
    profile,
    workdir,
    answers,
    extra: approval('陳處長 Chen', 'HCA-2026-0042', sha256.slice(0, 16).toUpperCase()),
  });
  t.equal(ran.code, 0, ran.stderr);
  const records = journalRecords(workdir);
  t.equal(records[0]!.event, 'ceremony.opened');
  t.same((records[0]!.data as { approval?: unknown }).approval, { approvedBy: '陳處長 Chen', reference: 'HCA-2026-0042', sha256Typed: sha256.slice(0, 16) });
  t.ok(records.findIndex((r) => r.event === 'participants.signed-in') > 0, 'sign-in comes after');
  const en = await keyceremonyInProcess(['report', workdir, '--lang', 'en']);
  t.match(
    en.stdout,
    `- **Approval of the script**: approved by 陳處長 Chen, reference HCA-2026-0042; the approval names definition SHA-256 ${sha256.slice(0, 16)}…, which matches (recorded before sign-in)`,
  );
  t.match(en.stdout, "the journal recorded that script's approval by 陳處長 Chen (reference HCA-2026-0042)");
  const zh = await keyceremonyInProcess(['report', workdir, '--lang', 'zh-TW']);
  t.match(zh.stdout, '- **腳本核准**：核准人 陳處長 Chen，文號 HCA-2026-0042');
});

t.test('refusals: exit 2, naming what is wrong, nothing written', async (t) => {
  const cases: Array<[string, string[], RegExp]> = [
    ['required but missing', [], /approval-test requires a recorded approval of its script/],
    ['partial', ['--approved-by', 'chen'], /an approval needs --approved-by, --approval and --approved-sha256 together/],
    [
      'another script',
      approval('chen', 'REF-1', 'ab'.repeat(8)),
      /the approval is for another script: .*approval\.yaml has SHA-256 [0-9a-f]{16}…, the approval names abababababababab…/,
    ],
    ['too short', approval('chen', 'REF-1', sha256.slice(0, 8)), /--approved-sha256 must be at least 16 hex digits/],
    ['not hex', approval('chen', 'REF-1', 'zz'.repeat(10)), /--approved-sha256 must be at least 16 hex digits/],
    ['control character', approval('chen\u001b[2J', 'REF-1', sha256), /--approved-by contains a control character/],
  ];
  for (const [name, extra, message] of cases) {
    const workdir = newWorkdir(fx);
    const ran = await runCeremony(fx, { definition, profile, workdir, answers, extra });
    t.equal(ran.code, 2, `${name}: exit 2`);
    t.match(ran.stderr, message, name);
    t.ok(!existsSync(workdir) || readdirSync(workdir).length === 0, `${name}: nothing written`);
  }
});

t.test('plan prints the approval block with the SHA-256 and its PGP words', async (t) => {
  const plan = await keyceremonyInProcess(['plan', definition, '--lang', 'en']);
  t.equal(plan.code, 0, plan.stderr);
  t.match(plan.stdout, '**Approval of this script**');
  t.match(
    plan.stdout,
    /\*\*Approver\*\*\n\n- Definition SHA-256: `[0-9A-F ]{79}`\n- PGP words: (\w+ ){31}\w+\n- Name: _+\n- Role: _+\n- Date: _+\n- Signature: _+/,
  );
  t.match(plan.stdout, '--approved-sha256');
});
