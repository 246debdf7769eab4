// Issue 14, finding 6, at the level of the helper every workdir path goes through: a name
// must stay inside the workdir, and no link on its way is followed — neither a link in
// place of the file nor a folder on the way that is a link — and a file appended to must
// not have a second name elsewhere.
import t from 'tap';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants } from 'node:fs';
import { InputError } from '../../src/errors.js';
import { appendToWorkdirFile, folderInWorkdir, insideWorkdir, openInWorkdir, readWorkdirFile } from '../../src/util/safe-path.js';

const root = mkdtempSync(join(tmpdir(), 'kc-safe-path-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A workdir and, beside it, a folder an attacker would like keyceremony to write to. */
function setup(): { workdir: string; outside: string } {
  const base = join(root, String(n++));
  const workdir = join(base, 'work');
  const outside = join(base, 'elsewhere');
  mkdirSync(workdir, { recursive: true });
  mkdirSync(outside);
  return { workdir, outside };
}

const refusedAsLink = { code: 'workdir.symlink', exitCode: 2 };

t.test('names that leave the workdir are refused', async (t) => {
  const { workdir } = setup();
  for (const name of ['../x', 'outputs/../../x', '/etc/passwd', '', 'a//b', 'outputs/']) {
    t.throws(() => insideWorkdir(workdir, name), { code: 'workdir.path' }, JSON.stringify(name));
  }
  t.equal(insideWorkdir(workdir, 'outputs/hca-g3.csr'), join(workdir, 'outputs/hca-g3.csr'));
  t.equal(insideWorkdir(workdir, 'dry-run-shares/..hc1'), join(workdir, 'dry-run-shares/..hc1'), 'two dots inside a name are not a parent');
});

t.test('a link in place of the file, or of a folder on the way, is refused', async (t) => {
  const { workdir, outside } = setup();
  symlinkSync(join(outside, 'journal.jsonl'), join(workdir, 'journal.jsonl'));
  t.throws(() => insideWorkdir(workdir, 'journal.jsonl'), {
    ...refusedAsLink,
    message: `${join(workdir, 'journal.jsonl')} is a symbolic link; keyceremony does not read or write through links in a workdir`,
  });
  symlinkSync(outside, join(workdir, 'outputs'));
  t.throws(() => insideWorkdir(workdir, 'outputs/hca-g3.csr'), refusedAsLink, 'the folder on the way');
  t.throws(() => folderInWorkdir(workdir, 'outputs'), refusedAsLink, 'an existing folder that is a link');
  t.same(existsSync(join(outside, 'hca-g3.csr')), false);
});

t.test('opening does not follow a link that appears after the check (O_NOFOLLOW)', async (t) => {
  const { workdir, outside } = setup();
  writeFileSync(join(outside, 'target'), 'outside');
  symlinkSync(join(outside, 'target'), join(workdir, 'state.json'));
  t.throws(() => openInWorkdir(workdir, 'state.json', constants.O_RDONLY), refusedAsLink);
  t.throws(() => readWorkdirFile(workdir, 'state.json', 1024), refusedAsLink);
});

t.test('reading a workdir file: regular files only, bounded', async (t) => {
  const { workdir } = setup();
  writeFileSync(join(workdir, 'state.json'), '{}');
  t.equal(readWorkdirFile(workdir, 'state.json', 2).toString(), '{}');
  t.throws(() => readWorkdirFile(workdir, 'state.json', 1), { code: 'file.too-large' });
  mkdirSync(join(workdir, 'outputs'));
  t.throws(() => readWorkdirFile(workdir, 'outputs', 1), { code: 'file.not-regular' });
});

t.test('a share file is created O_EXCL, appended to only when it is a plain file with one name', async (t) => {
  const { workdir, outside } = setup();
  folderInWorkdir(workdir, 'dry-run-shares', 0o700);
  appendToWorkdirFile(workdir, 'dry-run-shares/hc1', 'line 1\n', 0o600);
  appendToWorkdirFile(workdir, 'dry-run-shares/hc1', 'line 2\n', 0o600);
  t.equal(readFileSync(join(workdir, 'dry-run-shares/hc1'), 'utf8'), 'line 1\nline 2\n');
  t.equal(statSync(join(workdir, 'dry-run-shares/hc1')).mode & 0o777, 0o600);

  // A symbolic link planted in the share's name: nothing is written through it.
  writeFileSync(join(outside, 'collected'), '');
  symlinkSync(join(outside, 'collected'), join(workdir, 'dry-run-shares/hc2'));
  t.throws(() => appendToWorkdirFile(workdir, 'dry-run-shares/hc2', 'share\n', 0o600), refusedAsLink);
  // A hard link: the same file under a name outside the workdir.
  linkSync(join(outside, 'collected'), join(workdir, 'dry-run-shares/hc3'));
  t.throws(() => appendToWorkdirFile(workdir, 'dry-run-shares/hc3', 'share\n', 0o600), { code: 'workdir.foreign-file', message: /has 2 names/ });
  t.equal(readFileSync(join(outside, 'collected'), 'utf8'), '', 'the outside file got nothing');
});

t.test('a folder in the workdir is made once and must stay a folder', async (t) => {
  const { workdir } = setup();
  const made = folderInWorkdir(workdir, 'inputs');
  t.ok(statSync(made).isDirectory());
  t.equal(folderInWorkdir(workdir, 'inputs'), made, 'an existing real folder is fine');
  writeFileSync(join(workdir, 'profiles'), 'not a folder');
  t.throws(() => folderInWorkdir(workdir, 'profiles'), InputError);
});
