// One error type for everything the tool refuses or fails at. The CLI's one top-level
// catch turns it into `keyceremony: error: …` / `keyceremony: hint: …` and an exit code.
// Messages are lower case without a trailing period and name the file, step, person or
// share concerned. They never contain a secret: callers pass names and indexes, not values.

/** Exit codes from DESIGN.md. */
export const ExitCode = {
  completed: 0,
  failed: 1,
  badInput: 2,
  interrupted: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  hint?: string | undefined;
  exitCode?: ExitCode | undefined;
  /** A short machine-readable code, e.g. `CKR_PIN_INCORRECT` or `share.checksum`. */
  code?: string | undefined;
  /**
   * The message as a key of the command line's catalogue (src/cli/error-text.ts) and its
   * values, so the one top-level catch can say it in the language of --lang; the English
   * `message` stays what the journal and the tests read.
   */
  says?: { key: string; params: Record<string, string | number> } | undefined;
  /**
   * The facts the message names (share number, custodian, share set, field), never a secret:
   * a screen or report in another language says the whole sentence from them, and the
   * journal keeps them beside the English message (src/ui/i18n/problems.ts).
   */
  details?: Record<string, string | number> | undefined;
  cause?: unknown;
}

export class KeyceremonyError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly code: string | undefined;
  readonly says: ErrorDetails['says'];
  readonly details: ErrorDetails['details'];

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
    this.exitCode = details.exitCode ?? ExitCode.failed;
    this.code = details.code;
    this.says = details.says;
    this.details = details.details;
  }

  /** The plain, secret-free shape that may go into a journal record or machine context. */
  toRecord(): { code: string | undefined; message: string; hint: string | undefined } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Bad usage, definition, profile or answers: exit 2, nothing was done. */
export class InputError extends KeyceremonyError {
  constructor(message: string, details: Omit<ErrorDetails, 'exitCode'> = {}) {
    super(message, { ...details, exitCode: ExitCode.badInput });
  }
}

/** Formats an error the way the CLI prints it (also used by tests). */
export function formatError(error: KeyceremonyError): string {
  const lines = [`keyceremony: error: ${error.message}`];
  if (error.hint) lines.push(`keyceremony: hint: ${error.hint}`);
  return lines.join('\n');
}
