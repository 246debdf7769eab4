// `keyceremony shares check --manifest <file>`: a custodian checks their own share against
// the share set's public manifest, at any time, without a ceremony and without an HSM.
// The share is read at a prompt that does not echo (on a terminal) or from standard input,
// and is never printed: only whether it is well formed, its index and custodian, and
// whether it is the share the manifest committed to.
// Exit 0 the share is good, 1 it is not, 2 usage (no manifest, unreadable manifest, no share).
import { InputError } from '../../errors.js';
import { decodeEnvelope, type DecodedEnvelope } from '../../quorum/envelope.js';
import { describeSet, loadManifest, manifestFingerprint, type ShareSetManifest } from '../../quorum/manifest.js';
import { readShare } from '../../quorum/read-share.js';
import { wipe } from '../../quorum/secret-buffer.js';
import { ShareError, type ShareProblem } from '../../quorum/share-error.js';
import { groupedHex } from '../../util/fingerprint.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { println, type CliIo } from '../io.js';

const USAGE_HINT = 'use `keyceremony shares check --manifest <manifest.json>` and type the share at the prompt, or give it on standard input';
const HELP = `usage: keyceremony shares check --manifest <manifest.json>

Checks one share against its share set's manifest: whether it is well formed (every
group's check character and the share's checksum), its index and custodian, and whether
it is the share the manifest committed to. On a terminal the share is typed at a prompt
that shows nothing; otherwise it is read from standard input (spaces, dashes and line
breaks are ignored). The share is never printed.

exit codes: 0 the share is good, 1 it is not, 2 bad usage, manifest or no share given
`;

/** More than any share: stop reading rather than buffer whatever is piped in. */
const MAX_INPUT_BYTES = 64 * 1024;

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const ESCAPE = 0x1b;
const DELETE = 0x7f;

/**
 * Reads a share at a terminal with echo off (raw mode: we see each key and print nothing).
 * Enter or Ctrl-D ends it; Ctrl-C cancels; Backspace deletes; other control keys and
 * escape sequences (arrow keys) are ignored.
 */
export function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  const setRawMode = stdin.setRawMode?.bind(stdin);
  if (setRawMode === undefined) {
    // Without raw mode the terminal would echo the share: refuse rather than show it.
    return Promise.reject(new InputError('shares check: cannot turn off echo on this terminal', { hint: 'give the share on standard input instead' }));
  }
  return new Promise((resolve, reject) => {
    const typed: string[] = [];
    const finish = (outcome: () => void) => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      outcome();
    };
    const onEnd = () => finish(() => resolve(typed.join('')));
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      try {
        for (const byte of bytes) {
          if (byte === CTRL_C) return finish(() => reject(new InputError('shares check: cancelled at the prompt, no share was checked', { hint: USAGE_HINT })));
          if (byte === 0x0d || byte === 0x0a || byte === CTRL_D) return finish(() => resolve(typed.join('')));
          if (byte === ESCAPE) return; // the rest of the chunk is the escape sequence
          if (byte === DELETE || byte === BACKSPACE) typed.pop();
          else if (byte >= 0x20 && byte < 0x7f) typed.push(String.fromCharCode(byte));
        }
      } finally {
        bytes.fill(0);
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    io.stderr.write(prompt);
    setRawMode(true);
    stdin.resume();
  });
}

/** Everything on standard input (a share may span lines: whitespace is ignored). */
async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(bytes);
      size += bytes.length;
      if (size > MAX_INPUT_BYTES) {
        throw new InputError(`shares check: more than ${MAX_INPUT_BYTES / 1024} KiB on standard input, which is not one share`, { hint: USAGE_HINT });
      }
    }
    const all = Buffer.concat(chunks);
    const text = all.toString('utf8');
    all.fill(0);
    return text;
  } finally {
    chunks.forEach((chunk) => chunk.fill(0));
  }
}

function printManifest(io: CliIo, file: string, manifest: ShareSetManifest): void {
  println(io.stdout, `manifest    ${file}`);
  println(io.stdout, `            ${describeSet(manifest)}, ${manifest.threshold} of ${manifest.count} shares, created ${manifest.createdAt}`);
  println(io.stdout, `            SHA-256 ${groupedHex(manifestFingerprint(manifest).sha256)}`);
}

export async function command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new InputError('shares: a subcommand is needed', { hint: USAGE_HINT });
  if (sub !== 'check') throw new InputError(`shares: unknown subcommand "${sub}"`, { hint: USAGE_HINT });
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  const { values } = parseCommandArgs('shares check', rest, { manifest: { type: 'string' } }, []);
  const file = requireOption('shares check', values.manifest, 'manifest');
  const manifest = loadManifest(file);
  printManifest(io, file, manifest);

  const text = io.stdin.isTTY ? await promptHidden(io, `share of ${describeSet(manifest)} (not shown as you type): `) : await readStdin(io);
  if (text.trim() === '') throw new InputError('shares check: no share was given', { hint: USAGE_HINT });

  // Well formed on its own (checksums), before anything is compared with the manifest.
  let envelope: DecodedEnvelope;
  try {
    envelope = decodeEnvelope(text);
  } catch (error) {
    if (error instanceof ShareError) println(io.stdout, 'share       NOT well formed');
    throw error;
  }
  wipe(envelope.payload);
  wipe(envelope.body);
  println(io.stdout, 'share       well formed: every group and the checksum match');
  const inSet = envelope.setId === manifest.setId;
  const custodian = inSet ? manifest.shares[envelope.index - 1]?.custodian : undefined;
  println(io.stdout, `index       ${envelope.index} of set ${envelope.setId}${custodian === undefined ? '' : `, custodian ${custodian}`}`);

  try {
    readShare(text, manifest);
  } catch (error) {
    if (error instanceof ShareError) {
      const verdict: Partial<Record<ShareProblem, string>> = { 'foreign-set': 'set         NOT', index: 'index       NOT IN' };
      println(io.stdout, `${verdict[error.problem] ?? 'commitment  DOES NOT MATCH'} ${describeSet(manifest)}`);
    }
    throw error;
  }
  println(io.stdout, `commitment  matches share ${envelope.index} of ${describeSet(manifest)}`);
  return 0;
}
