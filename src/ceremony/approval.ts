// The approval of the script (issue 22 item 12): `plan` prints an approval block with the
// definition's SHA-256; the approver signs it on paper; `run` records who approved it and the
// approval's reference in the journal's first record, before anyone signs in. The hash typed
// from the signed paper must be the definition's own, so an approval of another version of
// the script is refused before anything is written. A definition with `approval: { required:
// true }` does not run without one.
import { InputError } from '../errors.js';
import type { Definition } from '../definition/definition.js';
import { firstControlCharacter } from '../util/control-characters.js';

export interface Approval {
  /** The approver's id or name, as on the signed approval. */
  approvedBy: string;
  /** The approval's reference (document number). */
  reference: string;
  /** The definition SHA-256 the approval names, as typed (at least 16 hex digits) and checked. */
  sha256Typed: string;
}

export interface ApprovalArgs {
  approvedBy?: string | undefined;
  reference?: string | undefined;
  sha256?: string | undefined;
}

const MIN_HEX = 16;

function text(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 200)
    throw new InputError(`run: --${name} must be 1 to 200 characters`, { hint: 'as written on the signed approval', code: 'approval.text' });
  const control = firstControlCharacter(trimmed);
  if (control)
    throw new InputError(`run: --${name} contains a control character (${control.name} at character ${control.position})`, { code: 'approval.text' });
  return trimmed;
}

/** The approval given on the command line, checked against the definition; undefined when none is given and none is required. */
export function checkApproval(definition: Definition, args: ApprovalArgs): Approval | undefined {
  const given = [args.approvedBy, args.reference, args.sha256].filter((v) => v !== undefined).length;
  if (given === 0) {
    if (definition.approval?.required === true) {
      throw new InputError(`run: ${definition.ceremony} requires a recorded approval of its script`, {
        hint: 'give --approved-by <approver>, --approval <reference> and --approved-sha256 <the definition SHA-256 on the signed approval>',
        code: 'approval.missing',
      });
    }
    return undefined;
  }
  if (given < 3) {
    throw new InputError('run: an approval needs --approved-by, --approval and --approved-sha256 together', {
      hint: 'all three are on the signed approval block of `keyceremony plan`',
      code: 'approval.partial',
    });
  }
  const typed = args.sha256!.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(typed) || typed.length < MIN_HEX) {
    throw new InputError(`run: --approved-sha256 must be at least ${MIN_HEX} hex digits of the definition SHA-256`, {
      hint: 'copy it from the signed approval block',
      code: 'approval.sha256',
    });
  }
  if (!definition.sha256.startsWith(typed)) {
    throw new InputError(
      `run: the approval is for another script: ${definition.file} has SHA-256 ${definition.sha256.slice(0, MIN_HEX)}…, the approval names ${typed.slice(0, MIN_HEX)}…`,
      {
        hint: 'run the definition that was approved, or have this one approved (keyceremony plan prints its hash)',
        code: 'approval.mismatch',
      },
    );
  }
  return { approvedBy: text('approved-by', args.approvedBy!), reference: text('approval', args.reference!), sha256Typed: typed };
}
