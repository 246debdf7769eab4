// Independent checks of what a ceremony left behind, for the reliability tests: keys on the
// token by pkcs11-tool, CSRs and certificates by openssl, and the workdir's own consistency
// (every output the journal records is there with its hash; no output, temp file or
// half-written file the journal does not account for).
import type { Test } from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/util/fingerprint.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { journalRecords } from './ceremony.js';
import { pkcs11Tool, run, SOFTHSM_MODULE } from './softhsm.js';

function labels(listing: string): string[] {
  return [...listing.matchAll(/^\s*label:\s+(.*)$/gm)].map((m) => m[1]!.trim());
}

/** Labels of the public keys on a token (no login needed), by pkcs11-tool. */
export async function publicKeyLabels(env: NodeJS.ProcessEnv, token: string): Promise<string[]> {
  const result = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env }, ['--token-label', token, '--list-objects', '--type', 'pubkey']);
  if (result.code !== 0) throw new Error(`pkcs11-tool --list-objects failed: ${result.stderr}`);
  return labels(result.stdout);
}

/**
 * Labels of the private keys on a token, by pkcs11-tool logged in as the user. The PIN (of a
 * throwaway dry-run token) goes to pkcs11-tool in its environment (`--pin env:…`), never on
 * its command line; typing it at pkcs11-tool's prompt through a pseudo terminal loses
 * characters now and then on a busy machine. The PIN is never put in an error message.
 */
export async function privateKeyLabels(env: NodeJS.ProcessEnv, token: string, pin: Buffer): Promise<string[]> {
  const result = await run(
    'pkcs11-tool',
    ['--module', SOFTHSM_MODULE, '--token-label', token, '--pin', 'env:KC_CHECK_PIN', '--list-objects', '--type', 'privkey'],
    { env: { ...env, KC_CHECK_PIN: pin.toString('utf8') } },
  );
  if (result.code !== 0) throw new Error(`pkcs11-tool --list-objects --type privkey on ${token} failed (exit ${result.code})`);
  return labels(result.stdout);
}

/**
 * The public key with `label` on the token as PEM, as pkcs11-tool reads it off the token and
 * openssl parses it. An RSA key is exported with --read-object; OpenSC 0.23 cannot export an
 * EC key that way ("cannot create EVP_PKEY"), so an EC key's SubjectPublicKeyInfo is put
 * together from the CKA_EC_PARAMS and CKA_EC_POINT that --list-objects prints.
 */
export async function tokenPublicKeyPem(env: NodeJS.ProcessEnv, token: string, label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-pub-'));
  try {
    const der = join(dir, 'key.der');
    const listing = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env }, ['--token-label', token, '--list-objects', '--type', 'pubkey']);
    if (listing.code !== 0) throw new Error(`pkcs11-tool --list-objects failed: ${listing.stderr}`);
    const object = listing.stdout.split(/^(?=Public Key Object)/m).find((block) => labels(block)[0] === label);
    if (!object) throw new Error(`pkcs11-tool: no public key "${label}" on token ${token}`);
    if (/^Public Key Object; EC/.test(object)) {
      const hex = (name: string) => Buffer.from(new RegExp(`^\\s*${name}:\\s+([0-9a-f]+)$`, 'm').exec(object)?.[1] ?? '', 'hex');
      writeFileSync(der, ecSpki(hex('EC_PARAMS'), hex('EC_POINT')));
    } else {
      const read = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env }, [
        '--token-label',
        token,
        '--read-object',
        '--type',
        'pubkey',
        '--label',
        label,
        '--output-file',
        der,
      ]);
      if (read.code !== 0) throw new Error(`pkcs11-tool --read-object failed: ${read.stderr}`);
    }
    return (await openssl(['pkey', '-pubin', '-inform', 'DER', '-in', der])).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** DER: a tag, its length (short or long form) and the content. */
const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
};
const EC_PUBLIC_KEY_OID = Buffer.from('06072a8648ce3d0201', 'hex');

/** SubjectPublicKeyInfo of an EC key from CKA_EC_PARAMS (the curve OID, DER) and CKA_EC_POINT (an OCTET STRING). */
function ecSpki(params: Buffer, ecPoint: Buffer): Buffer {
  if (ecPoint[0] !== 0x04) throw new Error('pkcs11-tool: EC_POINT is not a DER OCTET STRING');
  const point = ecPoint.subarray(ecPoint[1]! < 0x80 ? 2 : 2 + (ecPoint[1]! & 0x7f));
  return tlv(0x30, Buffer.concat([tlv(0x30, Buffer.concat([EC_PUBLIC_KEY_OID, params])), tlv(0x03, Buffer.concat([Buffer.from([0]), point]))]));
}

async function openssl(args: string[]): Promise<string> {
  const result = await run('openssl', args);
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const NAMEOPT = ['-nameopt', 'RFC2253,-esc_msb'];

export interface CsrFacts {
  subject: string;
  publicKey: string;
  verifies: boolean;
}

export async function csrFacts(file: string): Promise<CsrFacts> {
  const subject = (await openssl(['req', '-in', file, '-noout', '-subject', ...NAMEOPT])).trim().replace(/^subject=\s*/, '');
  const publicKey = (await openssl(['req', '-in', file, '-noout', '-pubkey'])).trim();
  const verify = await run('openssl', ['req', '-in', file, '-noout', '-verify']);
  return { subject, publicKey, verifies: verify.code === 0 && /verify OK/i.test(verify.stdout + verify.stderr) };
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  publicKey: string;
}

export async function certificateFacts(file: string): Promise<CertificateFacts> {
  const names = await openssl(['x509', '-in', file, '-noout', '-subject', '-issuer', ...NAMEOPT]);
  const subject = /^subject=\s*(.*)$/m.exec(names)?.[1] ?? '';
  const issuer = /^issuer=\s*(.*)$/m.exec(names)?.[1] ?? '';
  const publicKey = (await openssl(['x509', '-in', file, '-noout', '-pubkey'])).trim();
  return { subject, issuer, publicKey };
}

/** openssl verify -x509_strict of `certificate` against `root`. */
export async function chainVerifies(root: string, certificate: string): Promise<boolean> {
  const result = await run('openssl', ['verify', '-x509_strict', '-CAfile', root, certificate]);
  return result.code === 0;
}

/** Outputs the journal records as written by a completed step: name -> SHA-256. */
export function recordedOutputs(records: JournalRecord[]): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const record of records) {
    if (record.event !== 'step.completed') continue;
    for (const file of (record.data as { outputs?: Array<{ name: string; sha256: string }> }).outputs ?? []) outputs.set(file.name, file.sha256);
  }
  return outputs;
}

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
  );
}

/**
 * What the journal says and what the workdir holds agree:
 * - the journal verifies, and state.json (a whole JSON file) points at one of its records;
 * - every output a completed step recorded is in outputs/ with the recorded SHA-256;
 * - outputs/ holds nothing else, except what resume moved aside into outputs/.unrecorded/
 *   (each of those recorded by an output.unrecorded record);
 * - no temporary file is left anywhere in the workdir.
 * Right after a crash, before resume has looked, `allowUnrecorded` skips the last two: an
 * interrupted write may leave its file or its temporary file, for resume to move aside.
 */
export function assertWorkdirConsistent(t: Test, workdir: string, options: { allowUnrecorded?: boolean } = {}): JournalRecord[] {
  const records = journalRecords(workdir);
  const state = JSON.parse(readFileSync(join(workdir, 'state.json'), 'utf8')) as { journalHead: { seq: number; hash: string } };
  const head = records.find((r) => r.seq === state.journalHead.seq);
  t.ok(head && head.hash === state.journalHead.hash, `state.json points at journal record ${state.journalHead.seq}`);
  const recorded = recordedOutputs(records);
  for (const [name, hash] of recorded) {
    const file = join(workdir, 'outputs', name);
    t.ok(existsSync(file) && sha256(readFileSync(file)).toString('hex') === hash, `output ${name} is there with the SHA-256 the journal records`);
  }
  const movedAside = new Set(
    records.filter((r) => r.event === 'output.unrecorded').map((r) => String((r.data as { movedTo: string }).movedTo).split('/outputs/')[1]),
  );
  const unaccounted = filesUnder(join(workdir, 'outputs')).filter((name) => !recorded.has(name) && !movedAside.has(name));
  if (!options.allowUnrecorded) t.same(unaccounted, [], 'outputs/ holds nothing the journal does not account for');
  const temporary = filesUnder(workdir).filter((name) => /\.tmp$/.test(name) || /(^|\/)\.[^/]*\.\d+\.tmp$/.test(name));
  if (!options.allowUnrecorded) t.same(temporary, [], 'no temporary file is left in the workdir');
  return records;
}

/**
 * How often each step was completed: by its own step.completed record, or — after a crash
 * between the HSM's work and that record — by the witnesses adopting what resume found
 * (hsm.unrecorded-key, decision adopt). A step.reconciled record that adopts a step.completed
 * already in the journal is not another completion.
 */
export function completions(records: JournalRecord[]): Record<string, number> {
  const count: Record<string, number> = {};
  for (const record of records) {
    const adopted = record.event === 'hsm.unrecorded-key' && (record.data as { decision?: string }).decision === 'adopt';
    if ((record.event === 'step.completed' || adopted) && record.step) count[record.step] = (count[record.step] ?? 0) + 1;
  }
  return count;
}

/**
 * The last record a step wrote. An orderly stop (a failed step, a signal) lets a token that
 * still answers sign a journal checkpoint before logging out, so a `journal.checkpoint`
 * record may follow it; the t.match also checks that checkpoint signs exactly that record.
 */
export function lastStepRecord(t: Test, records: JournalRecord[]): JournalRecord {
  const trailing = records.at(-1)!;
  if (trailing.event !== 'journal.checkpoint') return trailing;
  const last = records.at(-2)!;
  t.match(trailing.data, { signed: { seq: last.seq, hash: last.hash } }, 'the checkpoint after it signs that record');
  return last;
}
