// The journal file: created once with O_EXCL, appended one record per line with O_APPEND,
// and fsynced before append() returns, so a record is on disk before the next step starts
// (DESIGN principle 5). On resume it is verified before anything is added, and a line torn
// by a crash is cut off and reported so that the caller can record that it happened.
import * as nodeFs from 'node:fs';
import { constants } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, KeyceremonyError } from '../errors.js';
import { pgpWords } from '../util/fingerprint.js';
import { errorCode, fsyncDirectory, storageProblem } from '../util/storage.js';
import { OPENED_EVENT, SEALED_EVENT, createRecord, describeRecord, sha256Hex, type JournalEntry, type JournalHead, type JournalRecord } from './record.js';
import { formatJournalTime } from './time.js';
import { verifyJournal } from './verify.js';

/** The file operations the journal uses; tests pass a wrapper to see the writes and fsyncs. */
export interface JournalFileSystem {
  openSync(path: string, flags: number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  closeSync(fd: number): void;
  fstatSync(fd: number): { dev: number; ino: number; size: number; isFile(): boolean };
  statSync(path: string): { dev: number; ino: number };
  readFileSync(path: string): Buffer;
  unlinkSync(path: string): void;
}

export interface JournalOptions {
  /** Where record times come from; tests pass a fixed clock. */
  clock?: () => Date;
  fileSystem?: JournalFileSystem;
}

export interface OpenJournalOptions extends JournalOptions {
  /** state.json `journalHead`: the journal must reach it, with the same hash. */
  expectedHead?: JournalHead | undefined;
}

/** Bytes cut off the end of the journal by Journal.open: a line the crash left unfinished. */
export interface TornTail {
  line: number;
  bytes: number;
  sha256: string;
}

export interface OpenedJournal {
  journal: Journal;
  /** Every record, verified, as the file holds them after any repair. */
  records: JournalRecord[];
  /** Present when an unfinished last line was cut off; the caller journals it. */
  tornTail?: TornTail;
  /** Present when the last record was complete but its newline was not: the newline was added. */
  restoredLineEnd?: { seq: number };
}

export type SealRecord = JournalRecord & {
  /** The seal's hash as PGP words, for the witnesses' paper log. */
  words: string;
};

// O_NOFOLLOW: a journal.jsonl that is a symbolic link is refused, never appended through.
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW;
const CREATE_NEW = APPEND | constants.O_CREAT | constants.O_EXCL;
const NEWLINE = Buffer.from('\n');

/** The most `journal verify` and `report` read of a journal (a whole ceremony is well under 1 MiB). */
export const JOURNAL_READ_LIMIT = 256 * 1024 * 1024;

export class Journal {
  readonly file: string;
  readonly #fs: JournalFileSystem;
  readonly #clock: () => Date;
  readonly #fd: number;
  readonly #identity: { dev: number; ino: number };
  #open = true;
  #head: JournalHead | undefined;
  #count: number;
  #size: number;
  #sealedAt: number | undefined;
  #failed: string | undefined;

  private constructor(file: string, fd: number, state: { head: JournalHead | undefined; count: number; size: number }, options: JournalOptions) {
    this.file = file;
    this.#fd = fd;
    this.#fs = options.fileSystem ?? nodeFs;
    this.#clock = options.clock ?? (() => new Date());
    this.#head = state.head;
    this.#count = state.count;
    this.#size = state.size;
    const { dev, ino } = this.#fs.fstatSync(fd);
    this.#identity = { dev, ino };
  }

  /**
   * Creates the journal (never over an existing file) and writes record 1, `ceremony.opened`,
   * with `header` as its data: definition SHA-256, tool version, Node, OS, HSM token info.
   */
  static create(file: string, header: Record<string, unknown>, options: JournalOptions = {}): Journal {
    const fs = options.fileSystem ?? nodeFs;
    const clock = options.clock ?? (() => new Date());
    // Build the record first: a header the journal refuses must not leave an empty file behind.
    const first = createRecord(undefined, { step: null, event: OPENED_EVENT, who: [], data: header }, formatJournalTime(clock()));
    let fd: number;
    try {
      fd = fs.openSync(file, CREATE_NEW, 0o644);
    } catch (error) {
      throw createError(file, error);
    }
    const journal = new Journal(file, fd, { head: undefined, count: 0, size: 0 }, options);
    try {
      journal.#writeLine(first.record, first.line);
      // The new directory entry must survive a crash as well as the file's contents.
      fsyncDirectory(dirname(file), fs);
    } catch (error) {
      journal.close();
      // We created the file a moment ago with O_EXCL, so removing it removes nothing of anyone else's.
      try {
        fs.unlinkSync(file);
      } catch {
        // The error below says what went wrong; a leftover file is refused by the next create.
      }
      throw error;
    }
    return journal;
  }

  /**
   * Opens an existing journal to continue it (resume). The whole journal is verified first,
   * against `expectedHead` when given; a journal that does not verify, or is sealed, is
   * refused. An unfinished last line is cut off and reported as `tornTail`; a complete
   * record is never dropped.
   */
  static open(file: string, options: OpenJournalOptions = {}): OpenedJournal {
    const fs = options.fileSystem ?? nodeFs;
    let bytes: Buffer;
    try {
      refuseLink(fs, file);
      bytes = fs.readFileSync(file);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        throw new InputError(`journal ${file} does not exist`, {
          hint: 'resume needs the workdir of a ceremony started with `keyceremony run`',
          code: 'journal.not-found',
          details: { file },
        });
      }
      if (error instanceof KeyceremonyError) throw error;
      throw new KeyceremonyError(`cannot read journal ${file}: ${storageProblem(error)}`, { code: 'journal.read', cause: error });
    }

    // A line without its newline was being written when the process stopped. If it parses
    // as JSON it is a whole record (a prefix of a record line never does), which must verify
    // like any other; if it does not, it is a fragment of a record that was never completed.
    const complete = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
    const tail = bytes.subarray(complete.length);
    const tailIsRecord = tail.length > 0 && parsesAsJson(tail);
    const result = verifyJournal(tailIsRecord ? Buffer.concat([bytes, NEWLINE]) : complete, { expectedHead: options.expectedHead });
    if (!result.ok) {
      throw new KeyceremonyError(`journal ${file} does not verify, line ${result.problem.line}: ${result.problem.message}`, {
        hint: 'a ceremony is not continued on a journal that does not verify; keep the file as evidence and run `keyceremony journal verify <workdir>`',
        code: `journal.${result.problem.kind}`,
        details: { file, line: result.problem.line },
      });
    }
    if (result.sealed) {
      throw new InputError(`journal ${file} is sealed at record ${result.head.seq}: the ceremony is over`, {
        hint: 'a sealed ceremony cannot be resumed; `keyceremony journal verify <workdir>` and `keyceremony report <workdir>` still work',
        code: 'journal.sealed',
        details: { file },
      });
    }

    let fd: number;
    try {
      fd = fs.openSync(file, APPEND);
    } catch (error) {
      if (errorCode(error) === 'ELOOP') throw linkError(file);
      throw new KeyceremonyError(`cannot open journal ${file} for writing: ${storageProblem(error)}`, { code: 'journal.open', cause: error });
    }
    let tornTail: TornTail | undefined;
    try {
      if (fs.fstatSync(fd).size !== bytes.length) {
        throw new KeyceremonyError(`journal ${file} changed while it was being verified`, {
          hint: 'another process is writing to this workdir; only one run per workdir at a time',
          code: 'journal.busy',
        });
      }
      if (tailIsRecord) {
        writeAll(fs, fd, NEWLINE);
        fs.fsyncSync(fd);
      } else if (tail.length > 0) {
        fs.ftruncateSync(fd, complete.length);
        fs.fsyncSync(fd);
        tornTail = { line: result.records.length + 1, bytes: tail.length, sha256: sha256Hex(tail) };
      }
    } catch (error) {
      fs.closeSync(fd);
      if (error instanceof KeyceremonyError) throw error;
      throw new KeyceremonyError(`cannot repair the end of journal ${file}: ${storageProblem(error)}`, { code: 'journal.write', cause: error });
    }
    const size = tailIsRecord ? bytes.length + 1 : complete.length;
    const journal = new Journal(file, fd, { head: result.head, count: result.records.length, size }, options);
    return {
      journal,
      records: result.records,
      ...(tornTail === undefined ? {} : { tornTail }),
      ...(tailIsRecord ? { restoredLineEnd: { seq: result.head.seq } } : {}),
    };
  }

  /** The last record written: what the runner keeps in state.json as `journalHead`. */
  get head(): JournalHead {
    if (this.#head === undefined) throw new Error('journal: no record has been written yet');
    return { ...this.#head };
  }

  get recordCount(): number {
    return this.#count;
  }

  get sealed(): boolean {
    return this.#sealedAt !== undefined;
  }

  /** Writes one record and fsyncs it before returning; returns the record as the file holds it. */
  append(entry: JournalEntry): JournalRecord {
    if (entry.event === OPENED_EVENT || entry.event === SEALED_EVENT) {
      throw new Error(`journal: ${entry.event} is written by Journal.${entry.event === OPENED_EVENT ? 'create' : 'seal'}, not append`);
    }
    return this.#append(entry);
  }

  /** The last record, `ceremony.sealed`; its hash as PGP words goes on the witnesses' paper log. */
  seal(data: Record<string, unknown> = {}, who: string[] = []): SealRecord {
    const record = this.#append({ step: null, event: SEALED_EVENT, who, data });
    this.#sealedAt = record.seq;
    return { ...record, words: pgpWords(Buffer.from(record.hash, 'hex')) };
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#fs.closeSync(this.#fd);
  }

  #append(entry: JournalEntry): JournalRecord {
    if (!this.#open) throw new Error(`journal: ${this.file} is closed`);
    if (this.#sealedAt !== undefined) {
      throw new KeyceremonyError(`journal ${this.file} is sealed at record ${this.#sealedAt}: nothing can be recorded after the seal`, {
        code: 'journal.sealed',
      });
    }
    if (this.#failed !== undefined) {
      throw new KeyceremonyError(`journal ${this.file} takes no more records: ${this.#failed}`, {
        hint: 'fix the cause, then `keyceremony resume <workdir>` verifies the journal and continues',
        code: 'journal.failed',
      });
    }
    const { record, line } = createRecord(this.#head, entry, formatJournalTime(this.#clock()));
    this.#writeLine(record, line);
    return record;
  }

  #writeLine(record: JournalRecord, line: string): void {
    this.#checkFileIsOurs();
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    try {
      writeAll(this.#fs, this.#fd, bytes);
      this.#fs.fsyncSync(this.#fd);
    } catch (error) {
      this.#failed = `writing ${describeRecord(record)} failed (${storageProblem(error)})`;
      // Take a half-written line back, so the file still ends at the last record that was
      // fsynced; if that fails too, resume finds the torn line and cuts it.
      try {
        this.#fs.ftruncateSync(this.#fd, this.#size);
        this.#fs.fsyncSync(this.#fd);
      } catch {
        // Reported through the error below.
      }
      throw new KeyceremonyError(`could not write ${describeRecord(record)} to journal ${this.file}: ${storageProblem(error)}`, {
        hint: 'the record is not in the journal; fix the cause (a full or removed disk?), then `keyceremony resume <workdir>` verifies the journal and continues',
        code: 'journal.write',
        cause: error,
      });
    }
    this.#size += bytes.length;
    this.#count += 1;
    this.#head = { seq: record.seq, hash: record.hash };
  }

  /** The path still names the file we hold open, and nobody else wrote to it. */
  #checkFileIsOurs(): void {
    const fail = (reason: string, code: string): never => {
      this.#failed = reason;
      throw new KeyceremonyError(`journal ${this.file} ${reason}`, {
        hint: 'nothing more is recorded; keep the workdir as it is and ask the auditor before resuming from a backup copy',
        code,
      });
    };
    let onDisk: { dev: number; ino: number };
    try {
      onDisk = this.#fs.statSync(this.file);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') fail('was removed while the ceremony was running', 'journal.removed');
      throw error;
    }
    if (onDisk.dev !== this.#identity.dev || onDisk.ino !== this.#identity.ino)
      fail('was replaced by another file while the ceremony was running', 'journal.replaced');
    const size = this.#fs.fstatSync(this.#fd).size;
    if (size !== this.#size) fail(`was changed by something else: it has ${size} bytes where the journal wrote ${this.#size}`, 'journal.changed');
  }
}

function writeAll(fs: JournalFileSystem, fd: number, bytes: Uint8Array): void {
  // A regular file rarely takes less than asked for, but writeSync may, so loop.
  for (let offset = 0; offset < bytes.length;) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** A journal that is a symbolic link is refused before it is read (lstat would race; O_NOFOLLOW does not). */
/**
 * A journal is a regular file, never reached through a link. Opened non-blocking, so a named
 * pipe planted at its path is refused at once instead of waited on.
 */
function refuseLink(fs: JournalFileSystem, file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw linkError(file);
    throw error;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw new InputError(`journal ${file} is not a regular file`, {
        hint: 'someone replaced the journal (with a pipe, a device or a folder); keep the workdir as it is as evidence and restore journal.jsonl from the backup copy',
        code: 'journal.not-regular',
      });
    }
  } finally {
    fs.closeSync(fd);
  }
}

function linkError(file: string): InputError {
  return new InputError(`journal ${file} is a symbolic link; keyceremony never reads or appends to a journal through a link`, {
    hint: 'someone changed the workdir; keep it as it is as evidence, and resume only from the journal file itself (a backup copy)',
    code: 'workdir.symlink',
  });
}

function parsesAsJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function createError(file: string, error: unknown): KeyceremonyError {
  const code = errorCode(error);
  if (code === 'EEXIST') {
    return new InputError(`journal ${file} already exists`, {
      hint: 'a journal is never overwritten: continue that ceremony with `keyceremony resume <workdir>`, or use a new, empty workdir',
      code: 'journal.exists',
    });
  }
  const reason = `cannot create journal ${file}: ${storageProblem(error)}`;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EROFS' || code === 'EISDIR') {
    return new InputError(reason, { hint: 'the workdir must be an existing directory on a writable disk', code: 'journal.create' });
  }
  return new KeyceremonyError(reason, { code: 'journal.create', cause: error });
}
