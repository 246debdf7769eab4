// The workdir lock, taken over after a crash: only a lock whose holder no longer runs is
// replaced, only one process may replace a given stale lock, and a takeover that did not
// finish is reported with what to do rather than guessed at. The race of two real resumes
// is in test/reliability/storage-faults.test.ts.
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workdir } from '../../src/ceremony/workdir.js';
import { caught } from '../helpers/errors.js';

function workdirWithLock(t: Test, lock: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'kc-lock-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'journal.jsonl'), '');
  if (lock !== undefined) writeFileSync(join(dir, '.lock'), lock);
  return dir;
}

const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
const lockOf = (pid: number, since = '2026-11-28T01:02:03.004Z') => JSON.stringify({ pid, host: hostname(), since });
const lockFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.startsWith('.lock'))
    .sort();

t.test('a lock whose holder no longer runs is taken over, recorded, and released with its marker', async (t) => {
  const dir = workdirWithLock(t, lockOf(deadPid));
  const workdir = Workdir.open(dir, { lock: true });
  t.same(workdir.staleLock, { pid: deadPid, host: hostname(), since: '2026-11-28T01:02:03.004Z' });
  t.match(readFileSync(join(dir, '.lock'), 'utf8'), `"pid":${process.pid}`);
  t.same(lockFiles(dir), ['.lock', `.lock.takeover-${deadPid}-${Date.parse('2026-11-28T01:02:03.004Z')}`]);
  workdir.unlock();
  t.same(lockFiles(dir), [], 'nothing of the lock is left');
  const again = Workdir.open(dir, { lock: true });
  t.equal(again.staleLock, undefined, 'the next run finds no lock at all');
  again.unlock();
});

t.test("a lock that cannot be read is a crashed run's too", async (t) => {
  const dir = workdirWithLock(t, '{"pid":');
  const workdir = Workdir.open(dir, { lock: true });
  t.same(workdir.staleLock, { pid: 0, host: 'unknown', since: 'unknown' });
  t.match(lockFiles(dir)[1], /^\.lock\.takeover-i\d+-\d+$/, 'the marker is named after the file, as there is no holder to name');
  workdir.unlock();
  t.same(lockFiles(dir), []);
});

t.test('a lock whose holder runs is not touched', async (t) => {
  const dir = workdirWithLock(t, lockOf(process.pid));
  const error = await caught(() => Workdir.open(dir, { lock: true }));
  t.equal(error.code, 'workdir.locked');
  t.equal(error.message, `workdir ${dir} is in use by keyceremony process ${process.pid} (since 2026-11-28T01:02:03.004Z)`);
  t.equal(readFileSync(join(dir, '.lock'), 'utf8'), lockOf(process.pid));
  t.same(lockFiles(dir), ['.lock']);
});

t.test('another process is taking the same stale lock over: refused, naming it', async (t) => {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  t.teardown(() => other.kill());
  const dir = workdirWithLock(t, lockOf(deadPid));
  const marker = join(dir, `.lock.takeover-${deadPid}-${Date.parse('2026-11-28T01:02:03.004Z')}`);
  writeFileSync(marker, lockOf(other.pid!, '2026-11-28T05:00:00.000Z'));
  const error = await caught(() => Workdir.open(dir, { lock: true }));
  t.equal(error.code, 'workdir.locked');
  t.equal(error.message, `workdir ${dir} is in use by keyceremony process ${other.pid} (since 2026-11-28T05:00:00.000Z)`);
  t.equal(readFileSync(join(dir, '.lock'), 'utf8'), lockOf(deadPid), 'the stale lock is left to the process taking it over');
});

t.test('a takeover that did not finish (its process died too) is reported with what to do', async (t) => {
  const dir = workdirWithLock(t, lockOf(deadPid));
  const marker = join(dir, `.lock.takeover-${deadPid}-${Date.parse('2026-11-28T01:02:03.004Z')}`);
  writeFileSync(marker, lockOf(deadPid, '2026-11-28T05:00:00.000Z'));
  const error = await caught(() => Workdir.open(dir, { lock: true }));
  t.equal(error.code, 'workdir.lock');
  t.equal(error.message, `workdir ${dir}: taking over the lock of a crashed run did not finish (process ${deadPid} no longer runs)`);
  t.equal(error.hint, `make sure no keyceremony process works on this workdir, remove ${marker}, then resume again`);
  t.ok(existsSync(marker), 'nothing is removed on a guess');
  t.same(lockFiles(dir), ['.lock', `.lock.takeover-${deadPid}-${Date.parse('2026-11-28T01:02:03.004Z')}`]);
  // Once someone has checked and removed the marker, the workdir can be resumed.
  rmSync(marker);
  const workdir = Workdir.open(dir, { lock: true });
  t.equal(workdir.staleLock?.pid, deadPid);
  workdir.unlock();
});
