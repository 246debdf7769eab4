// A file the journal recorded (an input brought in, an output an earlier step wrote) is used by
// a later step only if it still has the recorded SHA-256: a CSR, certificate, ledger or serial
// list swapped in the workdir between the witnesses' approval and the signature is refused.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileBytes } from '../../src/steps/shared/x509-run.js';
import type { CeremonyContext, FileRecord } from '../../src/ceremony/types.js';

const sha256sum = (path: string) => execFileSync('sha256sum', [path]).toString().split(' ')[0]!;

function workdirWith(files: Record<string, string>): string {
  const dir = t.testdir({});
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const record = (name: string, sha256: string, step: string): FileRecord => ({ name, kind: 'csr', sha256, words: '', bytes: 0, step });
const contextWith = (inputs: Record<string, FileRecord>, outputs: Record<string, FileRecord>) => ({ inputs, outputs }) as unknown as CeremonyContext;

t.test('a recorded input or output is read when it has its recorded SHA-256 (checked with sha256sum)', async (t) => {
  const dir = workdirWith({ 'inputs/g3.csr': 'the CSR the witnesses read', 'outputs/g3.ledger': 'a ledger line\n' });
  const context = contextWith(
    { 'g3.csr': record('g3.csr', sha256sum(join(dir, 'inputs/g3.csr')), 'inputs') },
    { 'g3.ledger': record('g3.ledger', sha256sum(join(dir, 'outputs/g3.ledger')), 'issue') },
  );
  t.equal(fileBytes(dir, context, 'g3.csr').toString(), 'the CSR the witnesses read');
  t.equal(fileBytes(dir, context, 'g3.ledger').toString(), 'a ledger line\n');
});

t.test('an input swapped after it was recorded is refused, naming the file and both hashes', async (t) => {
  const dir = workdirWith({ 'inputs/g3.csr': 'the CSR the witnesses read' });
  const recorded = sha256sum(join(dir, 'inputs/g3.csr'));
  writeFileSync(join(dir, 'inputs/g3.csr'), 'another CSR, swapped in');
  const now = sha256sum(join(dir, 'inputs/g3.csr'));
  const context = contextWith({ 'g3.csr': record('g3.csr', recorded, 'inputs') }, {});
  t.throws(() => fileBytes(dir, context, 'g3.csr'), {
    code: 'file.changed',
    message: `inputs/g3.csr changed after the journal recorded it: SHA-256 ${now}, recorded ${recorded} when it was brought in`,
  });
});

t.test('an output rewritten after its step recorded it is refused', async (t) => {
  const dir = workdirWith({ 'outputs/root.ledger': 'line 1\n' });
  const context = contextWith({}, { 'root.ledger': record('root.ledger', sha256sum(join(dir, 'outputs/root.ledger')), 'crl') });
  writeFileSync(join(dir, 'outputs/root.ledger'), 'line 1\nline 2, appended\n');
  t.throws(() => fileBytes(dir, context, 'root.ledger'), {
    code: 'file.changed',
    message: /^outputs\/root\.ledger changed after the journal recorded it: .*when step crl wrote it$/,
  });
});

t.test('a name that is neither an input nor an output is refused', async (t) => {
  t.throws(() => fileBytes(workdirWith({}), contextWith({}, {}), 'nothing'), { code: 'file.unknown' });
});

t.test('a ledger opens with a serial list only if it is the one journaled and the one shown before approval', async (t) => {
  const { declaredHistory } = await import('../../src/steps/shared/ledger-run.js');
  const list = '3A7F0C21\n0B12\n';
  const dir = workdirWith({ 'inputs/serials.txt': list });
  const journaled = sha256sum(join(dir, 'inputs/serials.txt'));
  const context = contextWith({ 'serials.txt': record('serials.txt', journaled, 'inputs') }, {});
  const deps = { workdir: dir } as Parameters<typeof declaredHistory>[0];
  const open = { lastCrlNumber: '7', issuedSerials: 'serials.txt' };

  const history = declaredHistory(deps, context, open, journaled);
  t.same(history, { lastCrlNumber: '7', issuedSerials: ['3a7f0c21', 'b12'], issuedSerialsSha256: journaled }, 'the list the witnesses were shown');

  const shown = 'f'.repeat(64);
  t.throws(() => declaredHistory(deps, context, open, shown), {
    code: 'ledger.serial-list-changed',
    message: `serial list serials.txt changed: its SHA-256 is now ${journaled}, not ${shown} as shown to the witnesses before approval`,
  });

  writeFileSync(join(dir, 'inputs/serials.txt'), '3A7F0C21\n0B12\n0C13\n');
  t.throws(() => declaredHistory(deps, context, open, journaled), { code: 'file.changed' }, 'a list swapped in the workdir after it was journaled');
});
