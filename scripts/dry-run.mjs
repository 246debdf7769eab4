#!/usr/bin/env node
// npm run dry-run: until the ceremony chain lands, this proves the HSM layer end to end on a
// throwaway SoftHSM token: it creates a token store, initialises a token through PKCS#11
// (random PINs, in memory only), and runs `keyceremony hsm info` against it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : join(root, 'dry-run-output'));
mkdirSync(out, { recursive: true });
const store = mkdtempSync(join(tmpdir(), 'keyceremony-dry-run-'));
const setup = spawnSync(join(root, 'scripts/softhsm-setup.sh'), ['--store', store], { encoding: 'utf8' });
if (setup.status !== 0) process.exit(setup.status ?? 1);
process.env.SOFTHSM2_CONF = join(store, 'softhsm2.conf');

const { Pkcs11Hsm } = await import(join(root, 'dist/hsm/pkcs11-hsm.js'));
const hsm = Pkcs11Hsm.open('/usr/lib/softhsm/libsofthsm2.so');
const soPin = Buffer.from(randomBytes(16).toString('base64url'));
hsm.initToken('DRY-RUN', soPin);
soPin.fill(0);
hsm.finalize();

const profile = join(out, 'hsm-dry-run.yaml');
writeFileSync(profile, 'module: /usr/lib/softhsm/libsofthsm2.so\ndryRun: true\ntokens:\n  dry-run: { label: DRY-RUN }\n');
const info = spawnSync(process.execPath, [join(root, 'dist/cli/bin.js'), 'hsm', 'info', '--hsm', profile], { stdio: 'inherit' });
console.log(`\ntoken store: ${store} (SOFTHSM2_CONF=${process.env.SOFTHSM2_CONF})`);
process.exit(info.status ?? 1);
