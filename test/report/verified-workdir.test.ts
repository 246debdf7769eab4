// What a report is made from: a journal that verifies and the script whose hash it recorded.
import t from 'tap';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/journal.js';
import { readVerifiedWorkdir } from '../../src/report/verified-workdir.js';
import { sha256 } from '../../src/util/fingerprint.js';
import { caught } from '../helpers/errors.js';
import { tempDir } from '../journal/helpers/journals.js';
import { header } from './helpers/records.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** A workdir holding a copy of `fixture` and a journal whose header records where it came from. */
function workdir(t: Parameters<typeof tempDir>[0], fixture: string, recordedFile: string): string {
  const dir = tempDir(t);
  copyFileSync(join(FIXTURES, fixture), join(dir, 'definition.yaml'));
  const text = readFileSync(join(dir, 'definition.yaml'));
  const journal = Journal.create(join(dir, 'journal.jsonl'), {
    ...header(sha256(text).toString('hex')),
    definition: { sha256: sha256(text).toString('hex'), file: recordedFile },
  });
  journal.close();
  return dir;
}

t.test('a workdir definition that names profile files loads from the workdir alone', async (t) => {
  // The profiles were copied into the workdir by run; the paths the definition gives are
  // relative to where it was run from, so they are not looked for next to the copy.
  for (const recordedFile of [join(FIXTURES, 'root-ceremony.yaml'), '/nowhere/root-ceremony.yaml']) {
    const dir = workdir(t, 'root-ceremony.yaml', recordedFile);
    const verified = readVerifiedWorkdir(dir, 'report');
    t.equal(verified.definition.ceremony, 'root-ceremony');
    t.equal(verified.definition.file, join(dir, 'definition.yaml'), 'the workdir copy is the file reported');
    t.equal(verified.records.length, 1);
    t.equal(verified.checkedHead, undefined);
  }
});

t.test('a state.json whose journal head is not a record stops the report', async (t) => {
  const dir = workdir(t, 'report.yaml', 'report.yaml');
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ status: 'running', journalHead: { seq: 0, hash: 'x' } }));
  const error = await caught(() => readVerifiedWorkdir(dir, 'report'));
  t.equal(error.message, `report: ${join(dir, 'state.json')} has a journalHead that is not { seq, hash } of a record`);
  t.equal(error.exitCode, 1);
  writeFileSync(join(dir, 'state.json'), '[]');
  t.match((await caught(() => readVerifiedWorkdir(dir, 'report'))).message, 'is not a JSON object');
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ status: 'completed' }));
  const unsealed = await caught(() => readVerifiedWorkdir(dir, 'report'));
  t.match(unsealed.message, 'the journal is not sealed', 'a completed ceremony must have its seal even without a journal head');
});
