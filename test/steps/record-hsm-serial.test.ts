// A record field declared as the serial of a token (hsmSerial) is compared with the serial
// the token itself reports (C_GetTokenInfo): issue 16 item 1, where WRONG-SERIAL-123 got a
// ✓. The attack (a wrong serial) is refused with exit 2, the journal still verifies and
// records no value; the right serial (read independently with pkcs11-tool) is accepted.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { pkcs11Tool, softhsm } from '../helpers/softhsm.js';

const DEFINITION = `ceremony: serial-check
title: { en: Serial check, zh-TW: 序號核對 }
roles:
  administrator: { min: 1 }
  witness: { min: 1 }
conflicts: [[administrator, witness]]
tokens:
  hca: { title: { en: HCA token, zh-TW: 醫事憑證載具 } }
steps:
  - { id: sign-in, type: sign-in }
  - id: inventory
    type: record
    by: administrator
    witness: witness
    fields: [{ id: hsm-serial, hsmSerial: hca }, bag-number]
  - { id: sign-off, type: sign-off }
`;

const answers = (serial: string) => `ceremony: serial-check
participants:
  - { id: carol, name: 張淑芬 Carol, roles: [administrator] }
  - { id: wendy, name: 林美玲 Wendy, roles: [witness] }
steps:
  inventory: { by: carol, witness: wendy, values: { hsm-serial: ${serial}, bag-number: TB123456 } }
`;

t.test('a record field of a token serial is compared with the token', async (t) => {
  const fx = softhsm(t);
  fx.initToken('SERIAL-TEST');
  const profile = fx.profile({ hca: 'SERIAL-TEST' });
  const definition = join(fx.dir, 'serial-check.yaml');
  writeFileSync(definition, DEFINITION);

  // The serial as an independent tool reads it.
  const listed = await pkcs11Tool(fx, ['--list-token-slots']);
  const serial = /token label\s*:\s*SERIAL-TEST[\s\S]*?serial num\s*:\s*(\S+)/.exec(listed.stdout)?.[1];
  t.ok(serial, `pkcs11-tool shows the serial:\n${listed.stdout}`);

  t.test('validate refuses a serial of a token the definition does not have', async (t) => {
    const bad = join(fx.dir, 'bad.yaml');
    writeFileSync(bad, DEFINITION.replace('hsmSerial: hca', 'hsmSerial: root'));
    const result = await keyceremonyInProcess(['validate', bad]);
    t.equal(result.code, 2);
    t.match(result.stderr, /bad\.yaml:\d+:\d+: steps\[1\]\.fields\[0\]\.hsmSerial/);
  });

  t.test('WRONG-SERIAL-123 is refused', async (t) => {
    const workdir = newWorkdir(fx, 'wrong');
    const file = join(fx.dir, 'wrong.answers.yaml');
    writeFileSync(file, answers('WRONG-SERIAL-123'));
    const result = await keyceremonyInProcess(['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', file], { env: fx.env });
    t.equal(result.code, 2, result.stderr);
    t.match(result.stderr, /step inventory: field "hsm-serial" is WRONG-SERIAL-123, which is not the serial token "hca" reports/);
    const records = journalRecords(workdir);
    t.notOk(
      records.some((r) => r.event === 'step.completed' && r.step === 'inventory'),
      'the record step did not complete',
    );
    const completed = records.filter((r) => r.event === 'step.completed').map((r) => JSON.stringify(r.data));
    t.notOk(
      completed.some((d) => d.includes('WRONG-SERIAL-123')),
      'no completed step holds the wrong value',
    );
  });

  t.test('the serial the token reports is accepted (in lower case too)', async (t) => {
    const workdir = newWorkdir(fx, 'right');
    const file = join(fx.dir, 'right.answers.yaml');
    writeFileSync(file, answers(serial!.toLowerCase()));
    const result = await keyceremonyInProcess(['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', file], { env: fx.env });
    t.equal(result.code, 0, result.stderr);
    const records = journalRecords(workdir);
    const prepared = records.find((r) => r.event === 'step.prepared' && r.step === 'inventory');
    t.same(prepared?.data, { tokenSerials: { hca: serial } }, 'the serial read from the token is journaled');
  });

  // A throwaway SoftHSM token's serial is new in every rehearsal: the committed answers say
  // { reportedByToken: true }, a rehearsal-only marker, and the line printed says it was read.
  t.test('answers { reportedByToken: true }: the serial the token reports, said so, journaled as read', async (t) => {
    const workdir = newWorkdir(fx, 'reported');
    const file = join(fx.dir, 'reported.answers.yaml');
    writeFileSync(file, answers('{ reportedByToken: true }'));
    const result = await keyceremonyInProcess(['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', file], { env: fx.env });
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, `inventory (record) done: by carol, wendy; hsm-serial ${serial} as the token reports it (answers: reportedByToken)`);
    const completed = journalRecords(workdir).find((r) => r.event === 'step.completed' && r.step === 'inventory');
    t.match(JSON.stringify(completed?.data), `"hsm-serial":"${serial}"`, 'the journal records the real serial');
  });

  t.test('answers { reportedByToken: true } on a field that is not a token serial is refused', async (t) => {
    const workdir = newWorkdir(fx, 'not-serial');
    const file = join(fx.dir, 'not-serial.answers.yaml');
    writeFileSync(file, answers(serial!).replace('bag-number: TB123456', 'bag-number: { reportedByToken: true }'));
    const result = await keyceremonyInProcess(['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', file], { env: fx.env });
    t.equal(result.code, 2, result.stderr);
    t.match(result.stderr, /steps\.inventory\.values\.bag-number: \{ reportedByToken: true \} is only for a field declared as a token's serial \(hsmSerial\)/);
  });
});
