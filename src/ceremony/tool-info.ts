// What the journal header says about the tool and the machine: version, a hash of the
// installed tool (every file under dist/ and package.json), Node, OS and time zone.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { arch, hostname, platform, release as osRelease } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInstalledRelease, type ReleaseCheck } from '../release/installed-release.js';
import { toolVersion } from '../util/tool-version.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/**
 * SHA-256 over (path, SHA-256 of content) of every installed file, in a fixed order. In an
 * installed release, `release` (its check, made moments before) has already read and hashed
 * package.json and every file under dist/ that SHA256SUMS lists: those digests are taken as
 * they are (the same bytes, hashed the same way), and only files it did not hash (an extra
 * file under dist/) are read here. In a checkout every file is read and hashed.
 */
export function toolHash(release?: ReleaseCheck): string {
  const known = release?.installed && resolve(release.root) === resolve(root) ? release.digests : undefined;
  const hash = createHash('sha256');
  for (const file of [join(root, 'package.json'), ...filesUnder(join(root, 'dist')).filter((f) => !f.endsWith('.map'))]) {
    const path = relative(root, file);
    const digest = known?.get(path) ?? createHash('sha256').update(readFileSync(file)).digest('hex');
    hash.update(`${path}\0${digest}\n`);
  }
  return hash.digest('hex');
}

/** What the journal says about the release: its bundle hash and what self-check found, or that this is a checkout. */
function releaseFacts(release: ReleaseCheck): Record<string, unknown> {
  if (!release.installed) return { installed: false };
  return {
    installed: true,
    bundleSha256: release.bundleSha256,
    files: release.files,
    selfCheck: release.problems.length === 0 ? 'passed' : 'failed',
    problems: release.problems.slice(0, 20),
  };
}

/** The tool and platform facts the journal header records (the `ceremony.opened` schema names each). */
export interface EnvironmentInfo {
  tool: { name: string; version: string; sha256: string; release: Record<string, unknown> };
  node: string;
  os: { platform: string; release: string; arch: string; hostname: string };
  timeZone: string;
}

export function environmentInfo(release: ReleaseCheck = checkInstalledRelease()): EnvironmentInfo {
  return {
    tool: { name: 'keyceremony', version: toolVersion(), sha256: toolHash(release), release: releaseFacts(release) },
    node: process.version,
    os: { platform: platform(), release: osRelease(), arch: arch(), hostname: hostname() },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
