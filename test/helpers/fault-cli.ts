// The child process of faults.ts: `keyceremony run|resume …` with keyceremony's runner from
// the test bundle's dist/ (KC_DIST, helpers/test-bundle.mjs) and the fault plan from KC_FAULTS. faults.ts runs it transpiled to
// JavaScript; keyceremony's own modules are the built ones, as the real CLI runs them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import pkcs11js from 'pkcs11js';
import type { FaultPlan } from './faults.js';
import { faultyOpenHsm, hideMechanisms, reportPinFlags, type FaultDeps } from './faulty-hsm.js';

type Runner = typeof import('../../src/ceremony/runner.js');
type Main = typeof import('../../src/cli/main.js');
type RunnerDepsModule = typeof import('../../src/cli/runner-deps.js');
type HsmErrors = typeof import('../../src/hsm/hsm-error.js');
type Pkcs11HsmModule = typeof import('../../src/hsm/pkcs11-hsm.js');
type ProfileModule = typeof import('../../src/hsm/profile.js');
type HsmProfile = import('../../src/hsm/profile.js').HsmProfile;

const dist = (path: string) => new URL(path, process.env.KC_DIST ?? new URL('../../dist/', import.meta.url)).href;
const plan = JSON.parse(process.env.KC_FAULTS ?? '{}') as FaultPlan;

/** A positive serial of n random bytes, as src/x509/certificate.ts makes them. */
function randomSerial(bytes: number): Buffer {
  for (;;) {
    const serial = randomBytes(bytes);
    serial[0]! &= 0x7f;
    if (serial[0] !== 0) return serial;
  }
}

/**
 * Hooks node:fs so that the child stops at exact points: the fsync of a journal record, the
 * link that names an output or the lock, the rename that saves state.json. node:fs is one
 * module per process; syncBuiltinESMExports() makes every `import … from 'node:fs'` of
 * keyceremony's modules see the hooks.
 */
function installFileHooks(): void {
  const real = { writeSync: fs.writeSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync, linkSync: fs.linkSync, openSync: fs.openSync };
  const patched = fs as unknown as Record<keyof typeof real, (...args: unknown[]) => unknown>;
  const armed = new Set<number>();
  const wanted = plan.afterRecord;
  if (wanted) {
    patched.writeSync = (...args: unknown[]) => {
      const [fd, buffer, offset, length] = args as [number, unknown, number | undefined, number | undefined];
      if (buffer instanceof Uint8Array) {
        const start = offset ?? 0;
        const text = Buffer.from(buffer.buffer, buffer.byteOffset + start, length ?? buffer.length - start).toString('utf8');
        if (text.startsWith('{"data":') && text.endsWith('\n')) {
          try {
            const record = JSON.parse(text) as { event?: string; step?: string | null };
            if (record.event === wanted.event && (wanted.step === undefined || record.step === wanted.step)) armed.add(fd);
          } catch {
            // not a journal line
          }
        }
      }
      return (real.writeSync as (...a: unknown[]) => number)(...args);
    };
    patched.fsyncSync = (...args: unknown[]) => {
      (real.fsyncSync as (...a: unknown[]) => void)(...args);
      const fd = args[0] as number;
      if (armed.has(fd)) {
        armed.delete(fd);
        // The record is durable now; nothing after it happens before the signal.
        process.kill(process.pid, wanted.action);
      }
    };
  }
  const output = plan.afterOutput;
  const lock = plan.afterLock;
  if (output || lock) {
    // An output gets its name by link(); the lock file is created by open(…, 'wx') or link().
    patched.linkSync = (...args: unknown[]) => {
      (real.linkSync as (...a: unknown[]) => void)(...args);
      if (output && basename(String(args[1])) === output.name) process.kill(process.pid, output.action);
      if (lock && basename(String(args[1])) === '.lock') process.kill(process.pid, lock.action);
    };
  }
  if (lock) {
    patched.openSync = (...args: unknown[]) => {
      const fd = (real.openSync as (...a: unknown[]) => number)(...args);
      if (basename(String(args[0])) === '.lock' && args[1] === 'wx') process.kill(process.pid, lock.action);
      return fd;
    };
  }
  if (plan.snapshots) {
    let saved = 0;
    const dir = plan.snapshots;
    fs.mkdirSync(dir, { recursive: true });
    patched.renameSync = (...args: unknown[]) => {
      const from = String(args[0]);
      if (from.endsWith('state.json.tmp')) fs.copyFileSync(from, join(dir, `state.${process.pid}.${++saved}.json`));
      return (real.renameSync as (...a: unknown[]) => void)(...args);
    };
  }
  if (lock) {
    // A lock left by a crashed run is taken over by rename(), not link().
    const previous = patched.renameSync;
    patched.renameSync = (...args: unknown[]) => {
      const result = previous(...args);
      if (basename(String(args[1])) === '.lock') process.kill(process.pid, lock.action);
      return result;
    };
  }
  const lockRead = plan.afterLockRead;
  if (lockRead) {
    // The moment a run has opened the lock it found to judge whether its holder still runs.
    const previous = patched.openSync;
    patched.openSync = (...args: unknown[]) => {
      const fd = previous(...args);
      if (basename(String(args[0])) === '.lock' && args[1] === 'r') process.kill(process.pid, lockRead.action);
      return fd;
    };
  }
  syncBuiltinESMExports();
}

async function main(): Promise<number> {
  installFileHooks();
  const runner = (await import(dist('ceremony/runner.js'))) as Runner;
  const { runnerDeps } = (await import(dist('cli/runner-deps.js'))) as RunnerDepsModule;
  const { toHsmError } = (await import(dist('hsm/hsm-error.js'))) as HsmErrors;
  const { Pkcs11Hsm } = (await import(dist('hsm/pkcs11-hsm.js'))) as Pkcs11HsmModule;
  const { moduleOptions } = (await import(dist('hsm/profile.js'))) as ProfileModule;
  const pkcs11 = pkcs11js as unknown as FaultDeps['pkcs11'];
  if (plan.tokenFlags) reportPinFlags(pkcs11, plan.tokenFlags);
  if (plan.hideMechanisms) hideMechanisms(pkcs11, plan.hideMechanisms);
  const { openHsm } = faultyOpenHsm(
    { open: (path: string, _file: unknown, profile: HsmProfile) => Pkcs11Hsm.open(path, moduleOptions(profile)), toHsmError, pkcs11 },
    plan.hsm,
    plan.hsmLog,
  );
  const out = (line: string) => process.stdout.write(`${line}\n`);
  // A serial source that repeats what the plan says, as a broken generator would.
  const serials = [...(plan.serials ?? [])];
  // A serial as written in a ledger has no leading zeros: an odd number of hex digits, which
  // Buffer.from(…, 'hex') would cut to the last whole byte (a serial 03db… became 15 octets).
  const evenHex = (hex: string) => (hex.length % 2 === 1 ? `0${hex}` : hex);
  const serialSource = plan.serials ? (bytes: number) => (serials.length ? Buffer.from(evenHex(serials.shift()!), 'hex') : randomSerial(bytes)) : undefined;
  // The production composition, with the faulty HSM and the serial source in place of theirs.
  const deps = runnerDeps({ openHsm, serialSource });
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'run') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { hsm: { type: 'string' }, workdir: { type: 'string' }, answers: { type: 'string' }, input: { type: 'string', multiple: true } },
    });
    // --input name=path, as `keyceremony run` takes it (the tests give well-formed ones).
    const inputs = Object.fromEntries((values.input ?? []).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
    return runner.runCeremony(
      { definitionFile: positionals[0]!, profileFile: values.hsm!, workdir: values.workdir!, answersFile: values.answers, inputs, lang: 'en', out },
      deps,
    );
  }
  if (command === 'resume') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { answers: { type: 'string' } } });
    return runner.resumeCeremony({ workdir: positionals[0]!, answersFile: values.answers, lang: 'en', out }, deps);
  }
  throw new Error(`fault-cli: unknown command ${command ?? ''}`);
}

const { exitCodeFor } = (await import(dist('cli/main.js'))) as Main;
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = exitCodeFor(error, io)),
);
