// Running the CLI with faults: `run` and `resume` in a child process (test/helpers/fault-cli.ts)
// that is keyceremony's own runner (from the test bundle of src/), with a fault plan handed over in KC_FAULTS:
//
// - afterRecord: the child acts the moment the journal record it names is on disk (inside
//   the fsync that makes it durable): SIGKILL — a crash exactly between that record and
//   whatever would come next, which polling the file from outside cannot pin down —, or
//   SIGSTOP, so that the test can change the world (fill the disk, remove the journal, start
//   a second run) at a known point and then SIGCONT;
// - afterOutput: the same, the moment an output file has been written under its final name
//   (before the step's record: the window resume's "unrecorded output" check is for);
// - afterLock: the same, the moment the workdir's .lock file exists;
// - afterLockRead: the same, the moment a run has opened a lock it found, to judge it;
// - hsm: a fault at one HSM call (faulty-hsm.ts);
// - tokenFlags: the token reports "final try" / "locked" PIN flags;
// - hideMechanisms: the token leaves mechanisms out of C_GetMechanismList (faulty-hsm.ts);
// - serials: the certificate serials the child's steps get, in order (hex), as a broken
//   random generator would repeat one; then the CSPRNG again;
// - hsmLog: every HSM call the child makes, one line each (to see logout and close);
// - snapshots: a copy of every state.json the child saves, for the secret canary.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { HsmFault } from './faulty-hsm.js';
import { testBundle } from './test-bundle.mjs';

export interface FaultPlan {
  afterRecord?: { event: string; step?: string | null; action: 'SIGKILL' | 'SIGSTOP' };
  /** The child acts right after an output file got its final name (written, not yet journaled). */
  afterOutput?: { name: string; action: 'SIGKILL' | 'SIGSTOP' };
  /** The child acts the moment the workdir's lock file exists (created, content and all). */
  afterLock?: { action: 'SIGKILL' | 'SIGSTOP' };
  /** The child acts the moment it has opened an existing lock file to see who holds it. */
  afterLockRead?: { action: 'SIGKILL' | 'SIGSTOP' };
  hsm?: HsmFault;
  tokenFlags?: { label: string; userPinFinalTry?: boolean; userPinLocked?: boolean };
  /** The token with this label does not list these mechanisms (CKM_* names), e.g. CKM_AES_KEY_WRAP_PAD. */
  hideMechanisms?: { label: string; mechanisms: string[] };
  /** The serials (hex) new certificates get, in order, before the CSPRNG takes over. */
  serials?: string[];
  hsmLog?: string;
  snapshots?: string;
}

export interface FaultRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

const HELPERS = new URL('./', import.meta.url);
// keyceremony's modules for the child: the test bundle's (helpers/test-bundle.mjs), whose
// entries are at their dist/ paths; a child loads a few chunks instead of dist/'s module files.
const DIST = testBundle().dist;

/**
 * The child's entry as plain JavaScript. keyceremony itself runs from the test bundle (built by
 * pretest), like the real CLI; the two helper files are transpiled once (type-checked by
 * `tsc -p test/tsconfig.json` like every test file) into node_modules/.cache, where
 * `pkcs11js` still resolves, so a child starts as fast as the CLI does.
 */
let entry: string | undefined;
function compiledEntry(): string {
  if (entry) return entry;
  const sources = ['fault-cli', 'faulty-hsm'].map((name) => ({ name, text: readFileSync(new URL(`${name}.ts`, HELPERS), 'utf8') }));
  const hash = createHash('sha256')
    .update(sources.map((s) => s.text).join('\0'))
    .digest('hex')
    .slice(0, 16);
  const dir = fileURLToPath(new URL(`../../node_modules/.cache/keyceremony-test-faults/${hash}/`, import.meta.url));
  if (!existsSync(join(dir, 'fault-cli.js'))) {
    const staging = `${dir.replace(/\/$/, '')}.${process.pid}.tmp`;
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'package.json'), '{ "type": "module" }\n');
    // TypeScript (a 9 MB module) is loaded only when the helpers changed since the last compile.
    const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
    for (const { name, text } of sources) {
      const js = ts.transpileModule(text, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      writeFileSync(join(staging, `${name}.js`), js);
    }
    try {
      renameSync(staging, dir);
    } catch {
      // Another test file compiled the same sources first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  entry = join(dir, 'fault-cli.js');
  return entry;
}

export interface StartedChild {
  child: ChildProcess;
  pid: number;
  done: Promise<FaultRunResult>;
}

/** Starts `keyceremony <args>` (run or resume) with the fault plan. */
export function startWithFaults(args: string[], plan: FaultPlan, options: { env: NodeJS.ProcessEnv }): StartedChild {
  const child = spawn(process.execPath, [compiledEntry(), ...args], {
    env: { ...options.env, KC_FAULTS: JSON.stringify(plan), KC_DIST: DIST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<FaultRunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 }));
  });
  return { child, pid: child.pid ?? -1, done };
}

export function runWithFaults(args: string[], plan: FaultPlan, options: { env: NodeJS.ProcessEnv }): Promise<FaultRunResult> {
  return startWithFaults(args, plan, options).done;
}

/**
 * Waits until the kernel holds `signal` pending for the (stopped) child: /proc/<pid>/status
 * lists pending signals as hex masks, bit n-1 for signal n, per thread (SigPnd) and for the
 * whole process (ShdPnd). False when it is not pending within a second, or the child is gone.
 */
export async function signalPending(started: StartedChild, signal: NodeJS.Signals): Promise<boolean> {
  const bit = 1n << BigInt(osConstants.signals[signal] - 1);
  for (let i = 0; i < 100; i++) {
    let status: string;
    try {
      status = readFileSync(`/proc/${started.pid}/status`, 'utf8');
    } catch {
      return false;
    }
    const masks = [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].map((m) => BigInt(`0x${m[1]}`));
    if (masks.some((mask) => (mask & bit) !== 0n)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** Waits until the child has stopped itself (SIGSTOP), or has ended; true when stopped. */
export async function waitUntilStopped(started: StartedChild): Promise<boolean> {
  let ended = false;
  void started.done.then(() => (ended = true));
  for (;;) {
    if (ended) return false;
    try {
      // /proc/<pid>/stat: "pid (comm) S ...": the state letter after the command name.
      const stat = readFileSync(`/proc/${started.pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'T' || state === 't') return true;
    } catch {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
