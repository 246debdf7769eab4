// A small real file system for storage faults: a tmpfs of a given size, which the test can
// fill up while a ceremony runs on it, or mount read-only. (Linux refuses to remount a file
// system read-only while a process holds a file open for writing — the journal — so "the disk
// turns read-only mid-run" is a read-only file system mounted over outputs/ mid-run.)
// Mounting needs root, as in CI; where it is not allowed these cases are skipped with a
// message saying why, never faked with a file-system seam.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchFs {
  dir: string;
  unmount(): void;
  /** Fills the file system with a filler file until it is full; returns its path. */
  fill(): string;
}

function mount(args: string[]): { ok: boolean; message: string } {
  const result = spawnSync('mount', args, { encoding: 'utf8' });
  return { ok: result.status === 0, message: `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim() };
}

/** Why a tmpfs cannot be mounted here, or undefined when it can (tried once, for real). */
export function cannotMount(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root; run the tests as root (as CI does) to include the read-only and full-disk cases';
  const probe = mkdtempSync(join(tmpdir(), 'kc-mount-probe-'));
  try {
    const mounted = mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    if (!mounted.ok) return `mount -t tmpfs is not allowed here (${mounted.message}); a container needs CAP_SYS_ADMIN for the read-only and full-disk cases`;
    spawnSync('umount', [probe]);
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export function scratchFs(t: Teardown, dir: string, sizeKb: number, options: { readOnly?: boolean } = {}): ScratchFs {
  mkdirSync(dir, { recursive: true });
  const mounted = mount(['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  if (!mounted.ok) throw new Error(`mount -t tmpfs failed: ${mounted.message}`);
  let mountedNow = true;
  const unmount = () => {
    if (mountedNow) spawnSync('umount', ['-l', dir]);
    mountedNow = false;
  };
  t.teardown(unmount);
  return {
    dir,
    unmount,
    fill() {
      const file = join(dir, 'filler');
      const fd = openSync(file, 'w');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      try {
        for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
          for (;;) {
            try {
              if (writeSync(fd, chunk, 0, size) < size) break;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return file;
    },
  };
}
