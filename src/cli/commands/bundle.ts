// `keyceremony bundle <workdir> [--out <archive>]`: the evidence bundle of a ceremony, one
// archive for the auditors (src/evidence/bundle.ts says what goes in and why).
// `keyceremony bundle verify <archive>`: checks one from scratch.
// Both print the archive's SHA-256 and the journal's final hash as hex groups and PGP
// words, to compare with the paper log. Exit 0 when whole, 1 when something does not
// match the journal (naming the file and the record), 2 for bad usage.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, InputError } from '../../errors.js';
import { verifyBundle, writeBundle, type BundleSummary } from '../../evidence/bundle.js';
import { groupedHex, pgpWords } from '../../util/fingerprint.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

const WORDS_PER_LINE = 8;

export async function command(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'verify') {
    const { positionals } = parseCommandArgs('bundle verify', args.slice(1), {}, ['archive']);
    const summary = verifyBundle(positionals[0]!);
    printSummary(io, summary);
    println(
      io.stdout,
      `verified  the journal, and ${summary.manifest.evidence.length} files each the one its journal record names; nothing else is in the bundle`,
    );
    println(
      io.stdout,
      summary.reportsCompared
        ? `reports   ${summary.manifest.reports.length}, each the one the journal gives (rendered again and compared)`
        : `reports   not compared: made by ${summary.manifest.tool}; render them again with that version`,
    );
    return ExitCode.completed;
  }
  const { values, positionals } = parseCommandArgs('bundle', args, { out: { type: 'string' } }, ['workdir']);
  const workdir = positionals[0]!;
  if (!existsSync(workdir) || !statSync(workdir).isDirectory()) {
    throw new InputError(`bundle: workdir ${workdir} ${existsSync(workdir) ? 'is not a directory' : 'does not exist'}`, {
      hint: 'give the workdir of a ceremony (the directory that holds journal.jsonl), or `bundle verify <archive>`',
    });
  }
  // Beside the workdir, never inside it: the workdir is evidence and gets no new files.
  const archive = values.out ?? `${resolve(workdir)}.evidence.tar.gz`;
  const summary = writeBundle(workdir, archive);
  printSummary(io, summary);
  for (const { path, why } of summary.leftOut) println(io.stdout, `left out  ${path}: ${why}`);
  return ExitCode.completed;
}

function printSummary(io: CliIo, { archive, archiveSha256, folder, manifest }: BundleSummary): void {
  println(io.stdout, `bundle    ${archive} (folder ${folder}/)`);
  println(io.stdout, `sha256    ${groupedHex(archiveSha256)}`);
  println(
    io.stdout,
    `ceremony  ${manifest.ceremony}, journal of ${manifest.journal.records} records, ${manifest.journal.sealed ? 'sealed' : 'NOT sealed'}, ${manifest.journal.first} to ${manifest.journal.last}`,
  );
  println(io.stdout, `evidence  ${manifest.evidence.map((file) => file.path).join(', ')}`);
  println(io.stdout, `journal   final hash ${groupedHex(manifest.journal.head.hash)}`);
  const words = pgpWords(Buffer.from(manifest.journal.head.hash, 'hex')).split(' ');
  for (let i = 0; i < words.length; i += WORDS_PER_LINE)
    println(io.stdout, `${i === 0 ? 'words     ' : '          '}${words.slice(i, i + WORDS_PER_LINE).join(' ')}`);
}
