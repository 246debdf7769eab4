// Issue 14, finding 10: a file handed to keyceremony never decides how much is read. A FIFO
// or a device is refused before a byte is read (a FIFO with no writer would block a plain
// open forever), a file over its cap is refused, and a file exactly at the cap is read whole.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { MiB, readBounded, YAML_FILE_LIMIT } from '../../src/util/bounded-read.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-bounded-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('not refused');
};

t.test('a named pipe with no writer is refused at once, not waited on', async (t) => {
  const fifo = join(dir, 'input.csr');
  const made = spawnSync('mkfifo', [fifo]);
  t.equal(made.status, 0, 'mkfifo');
  // Opening a FIFO that has no writer blocks forever: that this call returns at all is the proof.
  const error = refusal(() => readBounded(fifo, { what: 'input "csr"', maxBytes: MiB }));
  t.equal(error.message, `input "csr" ${fifo} is not a regular file (it is a named pipe)`);
  t.equal(error.exitCode, 2, 'refused without blocking');
});

t.test('/dev/zero is a device: refused before reading, however big the cap', async (t) => {
  const error = refusal(() => readBounded('/dev/zero', { what: 'input "csr"', maxBytes: 16 * MiB }));
  t.equal(error.message, 'input "csr" /dev/zero is not a regular file (it is a device)');
  t.equal(error.code, 'file.not-regular');
});

t.test('a folder is refused as such', async (t) => {
  t.equal(refusal(() => readBounded(dir, { what: 'definition file', maxBytes: MiB })).message, `definition file ${dir} is not a regular file (it is a folder)`);
});

t.test('the cap: exactly the cap is read, one byte more is refused', async (t) => {
  const exact = join(dir, 'exact.yaml');
  writeFileSync(exact, Buffer.alloc(YAML_FILE_LIMIT, 0x61));
  t.equal(readBounded(exact, { what: 'definition file', maxBytes: YAML_FILE_LIMIT }).length, YAML_FILE_LIMIT);
  const over = join(dir, 'over.yaml');
  writeFileSync(over, Buffer.alloc(YAML_FILE_LIMIT + 1, 0x61));
  const error = refusal(() => readBounded(over, { what: 'definition file', maxBytes: YAML_FILE_LIMIT }));
  t.equal(error.message, `definition file ${over} is larger than 1 MiB`);
  t.equal(error.code, 'file.too-large');
  t.equal(refusal(() => readBounded(over, { what: 'share file', maxBytes: 64 * 1024 })).message, `share file ${over} is larger than 64 KiB`);
});

t.test('a link is followed unless noFollow; a missing file is left to the caller to word', async (t) => {
  const target = join(dir, 'target.txt');
  writeFileSync(target, 'hello');
  const link = join(dir, 'link.txt');
  symlinkSync(target, link);
  t.equal(readBounded(link, { what: 'file', maxBytes: 10 }).toString(), 'hello');
  t.throws(() => readBounded(link, { what: 'file', maxBytes: 10, noFollow: true }), { code: 'ELOOP' });
  t.throws(() => readBounded(join(dir, 'missing'), { what: 'file', maxBytes: 10 }), { code: 'ENOENT' });
});
