// pkcs11js ships a native addon (build/Release/pkcs11.node, compiled by `npm ci` on the build
// machine) that esbuild cannot bundle. The bundle keeps `import pkcs11js from 'pkcs11js'`,
// and the release carries the package as a folder of its own, <top>/node_modules/pkcs11js/,
// where Node's resolution from <top>/dist/cli/ finds it first. Only the files it loads at run
// time are copied, plus its package.json and licence.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE = 'node_modules/pkcs11js';
const ADDON = 'build/Release/pkcs11.node';
const FILES = ['package.json', 'LICENSE', 'index.js', ADDON];

/** Copies the pkcs11js package folder into the release; returns the paths it wrote. */
export function copyPkcs11Addon({ root, top }) {
  const source = join(root, PACKAGE);
  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  // The copy holds index.js and the addon only: refuse a pkcs11js whose entry loads anything
  // else of its own (a newer version might), instead of shipping a bundle that fails at run time.
  const requires = [...readFileSync(join(source, pkg.main ?? 'index.js'), 'utf8').matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const unexpected = requires.filter((r) => r !== `./${ADDON}` && !r.startsWith('node:'));
  if (pkg.main !== 'index.js' || unexpected.length > 0) {
    throw new Error(
      `pkcs11js ${pkg.version}: its entry is ${pkg.main} and requires ${unexpected.join(', ') || 'nothing else'}; scripts/release/pkcs11-addon.mjs copies only ${FILES.join(', ')}`,
    );
  }
  for (const file of FILES) {
    const target = join(top, PACKAGE, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(source, file), target);
  }
  return FILES.map((file) => join(PACKAGE, file));
}

export const PKCS11_PACKAGE_DIR = PACKAGE;
