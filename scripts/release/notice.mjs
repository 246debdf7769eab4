// NOTICE: the licences of the third-party code in the release. The package list comes from
// esbuild's metafile (the packages whose files are really in the bundle) plus the pkcs11js
// folder shipped beside it; each package's own licence files are copied in full. esbuild's
// legalComments keeps only /*! … */ comments, which most packages do not have.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;
const RULE = '='.repeat(78);

function licenceOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  return 'no licence field';
}

/** The NOTICE text for the package folders `packageDirs` (relative to `root`). */
export function noticeText({ root, name, version, licence, packageDirs }) {
  const packages = packageDirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const files = readdirSync(join(root, dir))
      .filter((f) => LICENCE_FILE.test(f))
      .sort();
    return { dir, name: pkg.name, version: pkg.version, licence: licenceOf(pkg), files };
  });
  packages.sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1));
  const lines = [
    `${name} ${version} is licensed under ${licence} (see package.json).`,
    '',
    'This release contains the following third-party packages: the JavaScript of the first',
    'ones is bundled into dist/cli/, pkcs11js is shipped as node_modules/pkcs11js/ with its',
    'native addon. Their licences follow, copied from each package.',
    '',
    ...packages.map((p) => `  ${p.name} ${p.version} (${p.licence})`),
  ];
  for (const p of packages) {
    lines.push('', RULE, `${p.name} ${p.version} — ${p.licence}`, RULE);
    if (p.files.length === 0) lines.push('', `(The package ships no licence file; its package.json declares ${p.licence}.)`);
    for (const file of p.files) lines.push('', `--- ${file}`, '', readFileSync(join(root, p.dir, file), 'utf8').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
