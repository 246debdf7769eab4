// sbom.cdx.json: a CycloneDX SBOM of the production dependencies, made by `npm sbom`, with
// the two fields that differ from run to run fixed so the release stays reproducible.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm sbom --omit dev` drops a production package that a dev dependency also uses (npm/cli
 * issue 7909: yaml, chalk, string-width and 27 more here). So npm is run in a scratch folder
 * on a copy of package.json without devDependencies and of package-lock.json without the
 * dev-only packages, where no dev edge is left to mislead it.
 */
function npmSbom(root) {
  const scratch = mkdtempSync(join(tmpdir(), 'keyceremony-sbom-'));
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    delete pkg.devDependencies;
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    lock.packages = Object.fromEntries(Object.entries(lock.packages).filter(([, entry]) => !entry.dev));
    delete lock.packages[''].devDependencies;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(join(scratch, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const result = spawnSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev', '--package-lock-only'], { cwd: scratch, encoding: 'utf8' });
    if (result.error || result.status !== 0) throw new Error(`npm sbom failed: ${result.error?.message ?? result.stderr.trim()}`);
    return JSON.parse(result.stdout);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The SBOM text. `serialNumber` (a random UUID per run) becomes a UUID made from the SHA-256
 * of the rest of the document, `metadata.timestamp` (now) the source date, and the root
 * component's name (npm takes the folder's name) the package's name. Refuses an SBOM that
 * lacks a package in `required` ({name, version} of what is really shipped).
 */
export function sbomText({ root, name, sourceDate, required }) {
  const bom = npmSbom(root);
  bom.metadata.timestamp = sourceDate.toISOString();
  bom.metadata.component.name = name;
  const missing = required.filter((p) => !bom.components.some((c) => c.name === p.name && c.version === p.version));
  if (missing.length > 0) throw new Error(`npm sbom lists no ${missing.map((p) => `${p.name}@${p.version}`).join(', ')}, which the release ships`);
  delete bom.serialNumber;
  const hex = createHash('sha256').update(JSON.stringify(bom)).digest('hex');
  // RFC 9562 layout with version 8 (custom) and the RFC variant: a valid UUID, same input same UUID.
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  const ordered = { $schema: bom.$schema, bomFormat: bom.bomFormat, specVersion: bom.specVersion, serialNumber: `urn:uuid:${uuid}`, ...bom };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
