// One way to make a name durable and one way to say why the disk refused, shared by the
// journal, the outputs and state.json (issue 15: fsyncDirectory and the storage-error
// wording were written twice and said a full disk two ways).
import t from 'tap';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageError } from '../../src/ceremony/outputs.js';
import { Journal, type JournalFileSystem } from '../../src/journal/journal.js';
import { errorCode, fsyncDirectory, storageProblem } from '../../src/util/storage.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-storage-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** An error as Node raises it: `CODE: description, open '…'` with `code` set. */
const systemError = (code: string, description: string) => Object.assign(new Error(`${code}: ${description}, open '/w/x'`), { code });

t.test('the medium failing is said in plain words, the same for every writer', async (t) => {
  t.equal(storageProblem(systemError('ENOSPC', 'no space left on device')), 'the disk is full (ENOSPC)');
  t.equal(storageProblem(systemError('EROFS', 'read-only file system')), 'the file system is read-only (EROFS)');
  t.equal(storageProblem(systemError('EDQUOT', 'disk quota exceeded')), 'the disk quota is exhausted (EDQUOT)');
  t.equal(storageProblem(systemError('EIO', 'i/o error')), 'the disk reported an input/output error (EIO)');

  const full = systemError('ENOSPC', 'no space left on device');
  t.equal(storageError(full, '/w/outputs/a.csr').message, 'cannot write /w/outputs/a.csr: the disk is full (ENOSPC)', 'an output');
  const file = join(dir, 'journal.jsonl');
  const failing: JournalFileSystem = {
    ...fs,
    writeSync() {
      throw full;
    },
  };
  t.throws(
    () => Journal.create(file, { ceremony: 'c' }, { fileSystem: failing }),
    { message: `could not write record 1 (event ceremony.opened) to journal ${file}: the disk is full (ENOSPC)` },
    'the journal',
  );
});

t.test("any other failure keeps Node's own description, and an error without a code its message", async (t) => {
  t.equal(storageProblem(systemError('ENOENT', 'no such file or directory')), 'no such file or directory (ENOENT)');
  t.equal(storageProblem(Object.assign(new Error('odd'), { code: 'EWEIRD' })), 'odd (EWEIRD)');
  t.equal(storageProblem(new Error('plain failure')), 'plain failure');
  t.equal(storageProblem('a string'), 'a string');
  t.equal(storageProblem(new Error('no code'), 'EIO'), 'the disk reported an input/output error (EIO)', 'a writer may name the code');
  t.equal(errorCode(systemError('EACCES', 'permission denied')), 'EACCES');
  t.equal(errorCode({ code: 5 }), undefined);
  t.equal(errorCode(null), undefined);
});

t.test('a write error names what is in the way in words of its own', async (t) => {
  t.equal(storageError(systemError('EEXIST', 'file already exists'), '/w/x').message, 'cannot write /w/x: it already exists (EEXIST)');
  t.equal(storageError(systemError('ENOENT', 'no such file or directory'), '/w/x').message, 'cannot write /w/x: its folder does not exist (ENOENT)');
  const unknown = storageError(new Error('something'), '/w/x');
  t.equal(unknown.message, 'cannot write /w/x: the disk reported an input/output error (EIO)');
  t.equal(unknown.code, 'storage.EIO');
});

t.test('fsyncDirectory opens the folder, fsyncs it and closes it, on the file system it is given', async (t) => {
  const calls: string[] = [];
  fsyncDirectory(dir, {
    openSync: (path, flags) => (calls.push(`open ${path === dir} ${flags === fs.constants.O_RDONLY}`), fs.openSync(path, flags)),
    fsyncSync: (fd) => (calls.push('fsync'), fs.fsyncSync(fd)),
    closeSync: (fd) => (calls.push('close'), fs.closeSync(fd)),
  });
  t.same(calls, ['open true true', 'fsync', 'close']);
  fsyncDirectory(dir); // the real file system by default
  t.throws(() => fsyncDirectory(join(dir, 'missing')), { code: 'ENOENT' });

  const closed: number[] = [];
  t.throws(
    () =>
      fsyncDirectory(dir, {
        openSync: (path, flags) => fs.openSync(path, flags),
        fsyncSync: () => {
          throw systemError('EIO', 'i/o error');
        },
        closeSync: (fd) => (closed.push(fd), fs.closeSync(fd)),
      }),
    { code: 'EIO' },
  );
  t.equal(closed.length, 1, 'the folder is closed even when fsync fails');
});
