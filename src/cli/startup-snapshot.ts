// The entry of the release's start-up snapshot (BENCHMARKS.md, "Start-up snapshot").
//
// `validate` spends most of its time before it reads the definition: compiling and running
// the YAML parser, the zod schemas and the X.509 profile code. A V8 start-up snapshot
// (`node --snapshot-blob <blob> --build-snapshot dist/cli/startup.cjs`) holds the heap after
// all of that has run once, so a start from it only parses and checks the definition. The
// release bundles this file on its own, as CommonJS (Node 20 snapshots one script and no ESM),
// to dist/cli/startup.cjs; the launcher builds the blob on request
// (`keyceremony --build-startup-snapshot`) and starts from it for `validate` only. Every other command, and anything that loads the PKCS#11 addon (which no snapshot
// can hold), runs from dist/cli/bin.js as before.
//
// The same code runs either way: this file imports the `validate` command the CLI uses, and
// adds nothing of its own but the dispatch.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { InputError } from '../errors.js';
import { command as validate } from './commands/validate.js';
import type { CliIo } from './io.js';
import { runAsProcess } from './process-entry.js';

declare global {
  /**
   * The bundle's `import.meta.url`, set from the path the process was started with, at build
   * and at every start from the snapshot (esbuild defines `import.meta.url` as this in the
   * CommonJS bundle): the sources find package.json relative to it.
   */
  var __keyceremonyModuleUrl: string | undefined;
}

export async function snapshotMain(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'validate') return validate(rest, io);
  throw new InputError(`the start-up snapshot does not run "${name ?? ''}"`, { hint: 'run dist/cli/bin.js, which runs every command (the launcher does)' });
}

/** A CliIo that writes nowhere: the build's warm-up prints nothing. */
function silentIo(): CliIo {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  return { stdout: sink, stderr: sink, stdin: process.stdin, env: {} };
}

/**
 * At build time: run `validate` once on the release's example key generation, so that the
 * YAML parser, the schemas, the step specs and the X.509 profile checks are loaded,
 * constructed and compiled in the heap the snapshot keeps. Only that one: a definition that
 * parses a certificate or a CSR (grca-issue-hca-g3, hca-g3-accept, dryrun-root-link) makes
 * Node's WebCrypto hold native handles, which no snapshot can keep (V8 stops the build). A
 * later `validate` of such a definition still runs from the snapshot; it loads that code
 * itself. No secret exists in this process, and nothing is written.
 */
export const WARM_UP_DEFINITION = 'ceremonies/hca-g3-keygen.yaml';

async function warmUp(scriptPath: string): Promise<void> {
  const file = join(scriptPath, '../../..', WARM_UP_DEFINITION);
  if (existsSync(file)) await validate([file], silentIo());
}

/** When this module is the snapshot builder's entry (not when a test or bin.ts imports its functions). */
if (startupSnapshot.isBuildingSnapshot()) {
  const scriptPath = process.argv[1]!;
  globalThis.__keyceremonyModuleUrl = pathToFileURL(scriptPath).href;
  void warmUp(scriptPath);
  startupSnapshot.setDeserializeMainFunction(() => {
    // Started as `node --snapshot-blob <blob> <path of startup.cjs> <command> …`.
    const [, script, ...argv] = process.argv;
    globalThis.__keyceremonyModuleUrl = pathToFileURL(script!).href;
    runAsProcess(snapshotMain, argv);
  });
}
