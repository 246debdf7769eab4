// A throwaway SoftHSM per test: its own token directory and SOFTHSM2_CONF in a temp dir,
// removed at teardown. PINs are random per token and handed to tests in memory only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';

export const SOFTHSM_MODULE = process.env.KEYCEREMONY_TEST_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export interface TokenPins {
  label: string;
  soPin: Buffer;
  userPin: Buffer;
}

export interface SoftHsmFixture {
  dir: string;
  conf: string;
  modulePath: string;
  /** Environment for child processes (SOFTHSM2_CONF only points at the token store). */
  env: NodeJS.ProcessEnv;
  /** Writes an HSM profile for the named tokens and returns its path. */
  profile(tokens: Record<string, string>, options?: { dryRun?: boolean; name?: string }): string;
  /** Initialises a token with random SO and user PINs, through PKCS#11 only. */
  initToken(label: string): TokenPins;
  open(): Pkcs11Hsm;
}

export function randomPin(): Buffer {
  return Buffer.from(randomBytes(12).toString('base64url'));
}

export function softhsm(t: Teardown): SoftHsmFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kc-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const previous = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = conf;
  t.teardown(() => {
    if (previous === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previous;
    rmSync(dir, { recursive: true, force: true });
  });
  const fixture: SoftHsmFixture = {
    dir,
    conf,
    modulePath: SOFTHSM_MODULE,
    env: { ...process.env, SOFTHSM2_CONF: conf },
    profile(tokenLabels, options = {}) {
      const file = join(dir, options.name ?? 'hsm.yaml');
      const lines = [`module: ${SOFTHSM_MODULE}`, `dryRun: ${options.dryRun ?? true}`, 'tokens:'];
      for (const [name, label] of Object.entries(tokenLabels)) lines.push(`  ${name}: { label: "${label}" }`);
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    },
    initToken(label) {
      const pins = { label, soPin: randomPin(), userPin: randomPin() };
      const hsm = Pkcs11Hsm.open(SOFTHSM_MODULE);
      try {
        hsm.initToken(label, pins.soPin);
        const session = hsm.openSession(label);
        session.login('so', pins.soPin);
        session.initUserPin(pins.userPin);
        session.logout();
        session.close();
      } finally {
        hsm.finalize();
      }
      return pins;
    },
    open: () => Pkcs11Hsm.open(SOFTHSM_MODULE),
  };
  return fixture;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command, optionally writing `input` to its stdin. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string | Buffer; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that exits before reading its stdin must not fail the test with EPIPE.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs pkcs11-tool logged in as the user. The PIN is typed at its prompt through a pseudo
 * terminal (`script`), so it appears neither in argv nor in the environment.
 */
export function pkcs11ToolLoggedIn(fixture: Pick<SoftHsmFixture, 'modulePath' | 'env'>, label: string, pin: Buffer, args: string[]): Promise<RunResult> {
  const command = ['pkcs11-tool', '--module', fixture.modulePath, '--token-label', label, '--login', ...args]
    .map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: fixture.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let typed = false;
    let typing: NodeJS.Timeout | undefined;
    // A stuck pseudo terminal must fail the test quickly, not hang it until tap's timeout.
    const timer = setTimeout(() => {
      stderr += '\n(test helper: pkcs11-tool did not finish within 60 s; killed)';
      child.kill('SIGKILL');
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!typed && stdout.includes('PIN:')) {
        typed = true;
        // pkcs11-tool prints the prompt, then turns echo off, which flushes what was already
        // typed (TCSAFLUSH). On a loaded machine a PIN typed the moment the prompt showed was
        // lost that way (pkcs11-tool then waited, or read an end of input and failed), so it
        // is typed a little later. Input stays open until pkcs11-tool ends (`script -e` ends
        // with it): an end of input must not reach it first.
        typing = setTimeout(() => child.stdin.write(Buffer.concat([pin, Buffer.from('\n')])), 250);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(typing);
      child.stdin.end();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(typing);
      resolve({ code, stdout: stdout.replace(/\r/g, ''), stderr });
    });
  });
}

export function pkcs11Tool(fixture: Pick<SoftHsmFixture, 'modulePath' | 'env'>, args: string[]): Promise<RunResult> {
  return run('pkcs11-tool', ['--module', fixture.modulePath, ...args], { env: fixture.env });
}
