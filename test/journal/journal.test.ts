import t from 'tap';
import * as fs from 'node:fs';
import { basename, join } from 'node:path';
import { canonicalJson } from '../../src/journal/canonical-json.js';
import { Journal, type JournalFileSystem } from '../../src/journal/journal.js';
import { createRecord, GENESIS_HASH, type JournalRecord } from '../../src/journal/record.js';
import { JOURNAL_TIME_PATTERN } from '../../src/journal/time.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { pgpWords, sha256 } from '../../src/util/fingerprint.js';
import { caught } from '../helpers/errors.js';
import { CEREMONY, HEADER, tempDir } from './helpers/journals.js';

const START = Date.parse('2026-11-28T01:15:00.000Z');

/** A clock that starts at START + 123 ms and moves one second per reading. */
function steppingClock(): () => Date {
  let tick = 0;
  return () => new Date(START + 1000 * tick++ + 123);
}

function newJournalFile(t: Parameters<typeof tempDir>[0]): string {
  return join(tempDir(t), 'journal.jsonl');
}

/** node:fs with every call that matters written down, in order, by the name of the file. */
function spyFileSystem(overrides: Partial<JournalFileSystem> = {}): { fileSystem: JournalFileSystem; calls: string[] } {
  const calls: string[] = [];
  const names = new Map<number, string>();
  const fileSystem: JournalFileSystem = {
    openSync(path, flags, mode) {
      const fd = fs.openSync(path, flags, mode);
      names.set(fd, basename(path));
      calls.push(`open ${basename(path)}`);
      return fd;
    },
    writeSync(fd, buffer, offset, length) {
      calls.push(`write ${names.get(fd)}`);
      return fs.writeSync(fd, buffer, offset, length);
    },
    fsyncSync(fd) {
      calls.push(`fsync ${names.get(fd)}`);
      fs.fsyncSync(fd);
    },
    ftruncateSync(fd, length) {
      calls.push(`truncate ${names.get(fd)} ${length}`);
      fs.ftruncateSync(fd, length);
    },
    closeSync(fd) {
      calls.push(`close ${names.get(fd)}`);
      fs.closeSync(fd);
    },
    fstatSync: (fd) => fs.fstatSync(fd),
    statSync: (path) => fs.statSync(path),
    readFileSync: (path) => fs.readFileSync(path),
    unlinkSync(path) {
      calls.push(`unlink ${basename(path)}`);
      fs.unlinkSync(path);
    },
    ...overrides,
  };
  return { fileSystem, calls };
}

function systemError(code: string, description: string): Error {
  return Object.assign(new Error(`${code}: ${description}, write`), { code });
}

const keygen = CEREMONY[3]!;

t.test('create, append and seal; the file reads back and verifies record for record', async (t) => {
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER, { clock: steppingClock() });
  t.same(journal.head.seq, 1);
  t.equal(journal.recordCount, 1);
  const appended = CEREMONY.map((entry) => journal.append(entry));
  const seal = journal.seal({ outcome: 'completed' }, ['alice', 'bob']);
  journal.close();
  journal.close(); // closing twice is harmless

  t.equal(journal.recordCount, CEREMONY.length + 2);
  t.equal(journal.sealed, true);
  t.equal(seal.event, 'ceremony.sealed');
  t.equal(seal.words, pgpWords(Buffer.from(seal.hash, 'hex')));
  t.same(journal.head, { seq: seal.seq, hash: seal.hash });

  const text = fs.readFileSync(file, 'utf8');
  const result = verifyJournal(text, { expectedHead: journal.head, requireSeal: true, checkCanonicalForm: true });
  if (!result.ok) throw new Error(result.problem.message);
  t.equal(result.sealed, true);
  const { words: _words, ...sealRecord } = seal;
  t.same(result.records.slice(1), [...appended, sealRecord], 'what append returned is what the file holds');

  const header = result.records[0]!;
  t.same(
    { seq: header.seq, step: header.step, event: header.event, who: header.who, data: header.data, prev: header.prev },
    { seq: 1, step: null, event: 'ceremony.opened', who: [], data: HEADER, prev: GENESIS_HASH },
  );
  t.same(appended[3]!.data, keygen.data, 'Chinese text survives the round trip');
});

t.test('each line is the canonical JSON of its record, and the hash is SHA-256 of the canonical JSON without it', async (t) => {
  // An independent reading of DESIGN.md, written without the journal's own helpers.
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER, { clock: steppingClock() });
  for (const entry of CEREMONY) journal.append(entry);
  journal.seal();
  journal.close();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  t.equal(lines.pop(), '', 'the file ends with a newline');
  let prev = '0'.repeat(64);
  lines.forEach((line, index) => {
    const record = JSON.parse(line) as JournalRecord;
    const { hash, ...withoutHash } = record;
    t.equal(canonicalJson(record), line, `line ${index + 1} is canonical`);
    t.equal(sha256(canonicalJson(withoutHash)).toString('hex'), hash, `record ${index + 1} hash`);
    t.equal(record.seq, index + 1);
    t.equal(record.prev, prev);
    t.match(record.time, JOURNAL_TIME_PATTERN);
    t.equal(Date.parse(record.time), START + 1000 * index + 123, 'the clock reading, in local time with its offset');
    prev = hash;
  });
});

t.test('every record is written and fsynced before append returns; the directory is fsynced after create', async (t) => {
  const file = newJournalFile(t);
  const directory = basename(join(file, '..'));
  const { fileSystem, calls } = spyFileSystem();
  const journal = Journal.create(file, HEADER, { clock: steppingClock(), fileSystem });
  t.same(calls.splice(0), [
    'open journal.jsonl',
    'write journal.jsonl',
    'fsync journal.jsonl',
    `open ${directory}`,
    `fsync ${directory}`,
    `close ${directory}`,
  ]);
  for (const entry of CEREMONY) {
    const before = fs.statSync(file).size;
    const record = journal.append(entry);
    t.same(calls.splice(0), ['write journal.jsonl', 'fsync journal.jsonl'], `record ${record.seq}: one write, then fsync, then return`);
    const onDisk = fs.readFileSync(file).subarray(before).toString('utf8');
    t.equal(onDisk, `${canonicalJson(record)}\n`, `record ${record.seq} is in the file when append returns`);
  }
  journal.close();
});

t.test('a short write is continued until the whole line is written', async (t) => {
  const file = newJournalFile(t);
  const { fileSystem } = spyFileSystem({ writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, Math.min(length, 7)) });
  const journal = Journal.create(file, HEADER, { fileSystem });
  for (const entry of CEREMONY) journal.append(entry);
  journal.close();
  t.ok(verifyJournal(fs.readFileSync(file), { expectedHead: journal.head }).ok);
});

t.test('create never overwrites: an existing file is refused (O_EXCL) and left as it was', async (t) => {
  const file = newJournalFile(t);
  fs.writeFileSync(file, 'a journal from another ceremony\n');
  const error = await caught(() => Journal.create(file, HEADER));
  t.equal(error.exitCode, 2);
  t.equal(error.code, 'journal.exists');
  t.equal(error.message, `journal ${file} already exists`);
  t.match(error.hint, 'keyceremony resume <workdir>');
  t.equal(fs.readFileSync(file, 'utf8'), 'a journal from another ceremony\n');

  const nowhere = join(file, '..', 'no-such-dir', 'journal.jsonl');
  const missingDir = await caught(() => Journal.create(nowhere, HEADER));
  t.equal(missingDir.exitCode, 2);
  t.equal(missingDir.message, `cannot create journal ${nowhere}: no such file or directory (ENOENT)`);
});

t.test('data with a key that names a secret is refused at any depth, and nothing is written', async (t) => {
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER);
  const size = fs.statSync(file).size;
  const head = journal.head;
  const secretData: Record<string, unknown>[] = [
    { pin: '123456' },
    { PIN: '123456' },
    { soPin: 'x' },
    { userPin: 'x' },
    { operatorPin: 'x' },
    { share: 'KC1-…' },
    { shares: [] },
    { secret: 'x' },
    { password: 'x' },
    { quorum: { custodians: [{ id: 'carol', newUserPin: 'x' }] } },
  ];
  for (const data of secretData) {
    t.throws(
      () => journal.append({ step: 'unlock', event: 'step.completed', who: ['carol'], data }),
      { message: /names a secret, and secrets never enter the journal/ },
      JSON.stringify(data),
    );
  }
  t.throws(
    () => journal.append({ step: 'unlock', event: 'step.completed', who: ['carol'], data: { quorum: { custodians: [{ id: 'carol', newUserPin: 'x' }] } } }),
    {
      message: 'journal: refusing to record event "step.completed": data.quorum.custodians[0].newUserPin names a secret, and secrets never enter the journal',
    },
  );
  t.equal(fs.statSync(file).size, size, 'nothing was written');
  t.same(journal.head, head);
  const allowed = journal.append({
    step: 'unlock',
    event: 'quorum.reached',
    who: ['carol'],
    data: {
      spin: 1,
      pinned: true,
      pinLength: 8,
      shareCount: 3,
      shareIndexes: [1, 2, 4],
      custodians: ['carol'],
      shareSets: { 'hca-user-pin': { setId: 'ABCDEFGH' } },
    },
  });
  t.equal(allowed.seq, 2, 'keys that only look alike, and credential names such as hca-user-pin, are fine');
  journal.close();

  const other = join(file, '..', 'other.jsonl');
  t.throws(() => Journal.create(other, { hsm: { label: 'HCA', soPin: 'x' } }), { message: /data\.hsm\.soPin names a secret/ });
  t.notOk(fs.existsSync(other), 'a refused header leaves no file behind');
});

t.test('entries that are not journal records are refused', async (t) => {
  const journal = Journal.create(newJournalFile(t), HEADER);
  const entry = { step: 'keygen', event: 'step.completed', who: ['alice'], data: {} };
  t.throws(() => journal.append({ ...entry, event: 'Step Completed' }), { message: /event "Step Completed" is not a dotted lower-case name/ });
  t.throws(() => journal.append({ ...entry, event: 'ceremony.opened' }), { message: 'journal: ceremony.opened is written by Journal.create, not append' });
  t.throws(() => journal.append({ ...entry, event: 'ceremony.sealed' }), { message: 'journal: ceremony.sealed is written by Journal.seal, not append' });
  t.throws(() => journal.append({ ...entry, step: '' }), { message: /step must be a step id or null/ });
  t.throws(() => journal.append({ ...entry, who: 'alice' as unknown as string[] }), { message: /who must be an array of participant ids/ });
  t.throws(() => journal.append({ ...entry, data: [] as unknown as Record<string, unknown> }), { message: /data must be a JSON object/ });
  t.throws(() => journal.append({ ...entry, data: { at: new Date(0) } }), { message: /data\.at is a Date, not a plain object/ });
  t.throws(() => journal.append({ ...entry, data: { bits: Number.NaN } }), { message: /data\.bits is NaN/ });
  t.equal(journal.recordCount, 1);
  journal.close();
});

t.test('nothing can be appended after the seal', async (t) => {
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER);
  journal.append(keygen);
  const seal = journal.seal();
  const error = await caught(() => journal.append(keygen));
  t.equal(error.code, 'journal.sealed');
  t.equal(error.message, `journal ${file} is sealed at record ${seal.seq}: nothing can be recorded after the seal`);
  t.equal((await caught(() => journal.seal())).code, 'journal.sealed');
  journal.close();
  t.throws(() => journal.append(keygen), { message: `journal: ${file} is closed` });
});

t.test('open continues the chain of a journal that verifies', async (t) => {
  const file = newJournalFile(t);
  const first = Journal.create(file, HEADER, { clock: steppingClock() });
  for (const entry of CEREMONY.slice(0, 3)) first.append(entry);
  const head = first.head;
  first.close();

  const { journal, records, tornTail, restoredLineEnd } = Journal.open(file, { expectedHead: head, clock: steppingClock() });
  t.same(
    records.map((record) => record.event),
    ['ceremony.opened', ...CEREMONY.slice(0, 3).map((entry) => entry.event)],
    'the verified records come back, for the runner to reconcile with',
  );
  t.equal(records.at(-1)!.hash, head.hash);
  t.equal(tornTail, undefined);
  t.equal(restoredLineEnd, undefined);
  t.same(journal.head, head);
  t.equal(journal.recordCount, 4);
  const next = journal.append({ step: null, event: 'ceremony.resumed', who: ['alice', 'bob'], data: { after: head.seq } });
  t.equal(next.seq, 5);
  t.equal(next.prev, head.hash);
  journal.seal();
  journal.close();
  t.ok(verifyJournal(fs.readFileSync(file), { requireSeal: true }).ok);
});

t.test('open cuts an unfinished last line and reports it; a whole record missing only its newline is kept', async (t) => {
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER);
  for (const entry of CEREMONY.slice(0, 2)) journal.append(entry);
  const head = journal.head;
  journal.close();
  const complete = fs.readFileSync(file);
  const next = createRecord(head, keygen, '2026-11-28T09:20:00.000+08:00');

  // The process died 40 bytes into the next line.
  const fragment = Buffer.from(next.line).subarray(0, 40);
  fs.appendFileSync(file, fragment);
  const torn = Journal.open(file, { expectedHead: head });
  t.same(torn.tornTail, { line: 4, bytes: 40, sha256: sha256(fragment).toString('hex') });
  t.same(fs.readFileSync(file), complete, 'the fragment was cut off');
  const resumed = torn.journal.append({ step: null, event: 'journal.torn-tail-removed', who: [], data: { ...torn.tornTail } });
  t.equal(resumed.seq, 4);
  torn.journal.close();
  t.ok(verifyJournal(fs.readFileSync(file)).ok);

  // The process died after the last byte of a record, before its newline.
  const before = fs.readFileSync(file);
  const whole = createRecord({ seq: resumed.seq, hash: resumed.hash }, keygen, '2026-11-28T09:21:00.000+08:00');
  fs.appendFileSync(file, whole.line);
  const restored = Journal.open(file);
  t.equal(restored.tornTail, undefined);
  t.same(restored.restoredLineEnd, { seq: 5 });
  t.same(restored.records.at(-1), whole.record, 'the restored record is among the records');
  t.same(restored.journal.head, { seq: 5, hash: whole.record.hash });
  restored.journal.close();
  t.equal(fs.readFileSync(file, 'utf8'), `${before.toString('utf8')}${whole.line}\n`);
});

t.test('open refuses a journal that does not verify, is sealed, or is missing, and changes nothing', async (t) => {
  const file = newJournalFile(t);
  const journal = Journal.create(file, HEADER);
  for (const entry of CEREMONY) journal.append(entry);
  const head = journal.head;
  journal.close();
  const good = fs.readFileSync(file, 'utf8');

  const edited = good.replace('"bag-number":"A1234567"', '"bag-number":"A1234568"');
  fs.writeFileSync(file, `${edited}{"data":{"torn`);
  const changed = await caught(() => Journal.open(file));
  t.equal(changed.exitCode, 1);
  t.equal(changed.code, 'journal.changed');
  t.equal(
    changed.message,
    `journal ${file} does not verify, line 3: record 3 (step inventory, event record.entered) was changed: its hash does not match its content`,
  );
  t.match(changed.hint, 'keyceremony journal verify <workdir>');
  t.equal(fs.readFileSync(file, 'utf8'), `${edited}{"data":{"torn`, 'the torn line is not cut from a journal that does not verify');

  fs.writeFileSync(file, good);
  const behind = await caught(() => Journal.open(file, { expectedHead: { seq: head.seq + 2, hash: head.hash } }));
  t.equal(behind.code, 'journal.truncated');
  t.match(behind.message, `it ends at record ${head.seq} (step lock, event step.completed), but the recorded journal head is record ${head.seq + 2}`);
  const rewritten = await caught(() => Journal.open(file, { expectedHead: { seq: 4, hash: head.hash } }));
  t.equal(rewritten.code, 'journal.changed');
  t.match(rewritten.message, 'record 4 (step unlock, event quorum.reached) was changed: its hash is not the one recorded as the journal head');

  const sealing = Journal.open(file, { expectedHead: head }).journal;
  const seal = sealing.seal();
  sealing.close();
  const sealed = await caught(() => Journal.open(file));
  t.equal(sealed.exitCode, 2);
  t.equal(sealed.code, 'journal.sealed');
  t.equal(sealed.message, `journal ${file} is sealed at record ${seal.seq}: the ceremony is over`);

  const missing = await caught(() => Journal.open(join(file, '..', 'nothing.jsonl')));
  t.equal(missing.exitCode, 2);
  t.equal(missing.code, 'journal.not-found');
});

t.test('a journal removed, replaced or written by someone else during the run stops the journal', async (t) => {
  const removedFile = newJournalFile(t);
  const removed = Journal.create(removedFile, HEADER);
  fs.unlinkSync(removedFile);
  const gone = await caught(() => removed.append(keygen));
  t.equal(gone.code, 'journal.removed');
  t.equal(gone.message, `journal ${removedFile} was removed while the ceremony was running`);
  t.notOk(fs.existsSync(removedFile), 'append does not create a new, headless journal');
  const after = await caught(() => removed.append(keygen));
  t.equal(after.code, 'journal.failed');
  t.equal(after.message, `journal ${removedFile} takes no more records: was removed while the ceremony was running`);
  removed.close();

  const replacedFile = newJournalFile(t);
  const replaced = Journal.create(replacedFile, HEADER);
  fs.writeFileSync(`${replacedFile}.new`, fs.readFileSync(replacedFile));
  fs.renameSync(`${replacedFile}.new`, replacedFile);
  t.equal((await caught(() => replaced.append(keygen))).code, 'journal.replaced');
  replaced.close();

  const sharedFile = newJournalFile(t);
  const shared = Journal.create(sharedFile, HEADER);
  fs.appendFileSync(sharedFile, '{"seq":2}\n');
  const intruded = await caught(() => shared.append(keygen));
  t.equal(intruded.code, 'journal.changed');
  t.match(intruded.message, /was changed by something else: it has \d+ bytes where the journal wrote \d+/);
  shared.close();
});

t.test('a failed write is taken back and stops the journal; resume continues from the last good record', async (t) => {
  const file = newJournalFile(t);
  let failNext = false;
  const { fileSystem, calls } = spyFileSystem({
    writeSync(fd, buffer, offset, length) {
      if (!failNext) return fs.writeSync(fd, buffer, offset, length);
      failNext = false;
      fs.writeSync(fd, buffer, offset, Math.floor(length / 2)); // half the line reaches the disk
      throw systemError('ENOSPC', 'no space left on device');
    },
  });
  const journal = Journal.create(file, HEADER, { fileSystem });
  const head = journal.head;
  failNext = true;
  calls.length = 0;
  const error = await caught(() => journal.append(keygen));
  t.equal(error.code, 'journal.write');
  t.equal(error.message, `could not write record 2 (step keygen, event step.completed) to journal ${file}: the disk is full (ENOSPC)`);
  t.match(error.hint, 'keyceremony resume <workdir>');
  t.match(calls.join(','), /truncate journal\.jsonl \d+,fsync journal\.jsonl$/, 'the half line was cut off again');
  t.same(journal.head, head);
  t.equal((await caught(() => journal.append(keygen))).code, 'journal.failed');
  journal.close();

  const reopened = Journal.open(file, { expectedHead: head });
  t.equal(reopened.tornTail, undefined, 'nothing half-written was left');
  t.equal(reopened.journal.append(keygen).seq, 2);
  reopened.journal.close();
});

t.test('a header that cannot be written leaves no file behind', async (t) => {
  const file = newJournalFile(t);
  const { fileSystem } = spyFileSystem({
    writeSync() {
      throw systemError('EIO', 'i/o error');
    },
  });
  const error = await caught(() => Journal.create(file, HEADER, { fileSystem }));
  t.equal(error.message, `could not write record 1 (event ceremony.opened) to journal ${file}: the disk reported an input/output error (EIO)`);
  t.notOk(fs.existsSync(file));
});
