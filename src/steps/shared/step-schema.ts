// Schema pieces every step type shares (id, title, instructions, who acts and watches, the
// WebTrust letters) and a few that several use (a key spec, a hash, a record field).
import { z } from 'zod';
import { bilingual, id, keyLabel } from '../../definition/primitives.js';
import { evidenceKind } from '../record/evidence.js';
import type { DefinitionScan } from '../spec-types.js';

export { bilingual, id, keyLabel, subject } from '../../definition/primitives.js';

/** Who acts and who watches: the heart of multiple person control (多人控管). */
const people = {
  by: id().optional(),
  witness: id().optional(),
  /** How many distinct witnesses the step needs (destroy-key needs two). */
  witnesses: z.number().int().min(1).max(5).optional(),
};

/**
 * WebTrust for CAs key generation criteria a step is evidence for, so the report can map
 * them: (a) roles, (b) approval, (c) hardware and activation materials, (d) the steps,
 * (e) physical security, (f) storage afterwards, (g) sign-off, (h) deviations.
 */
const webtrust = z.array(z.enum(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { error: 'must be a WebTrust key generation criterion letter, a to h' }));

/** The keys every step has, spread into each step type's strict object. */
export const common = {
  id: id(),
  title: bilingual.optional(),
  instructions: bilingual.optional(),
  webtrust: webtrust.optional(),
  ...people,
};

export const hash = z.enum(['SHA-256', 'SHA-384', 'SHA-512'], { error: 'must be SHA-256, SHA-384 or SHA-512' });

/** The key a generate-key step makes, as the definition writes it. */
export const keySpec = z
  .strictObject({
    label: keyLabel,
    algorithm: z.enum(['RSA', 'EC'], { error: 'must be RSA or EC' }),
    bits: z.number().optional(),
    curve: z.string().optional(),
  })
  .superRefine((key, ctx) => {
    if (key.algorithm === 'RSA') {
      if (key.bits === undefined) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'is required for RSA (2048, 3072 or 4096)' });
      else if (![2048, 3072, 4096].includes(key.bits)) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'must be 2048, 3072 or 4096' });
      if (key.curve !== undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'is only for EC keys' });
    } else {
      if (key.curve === undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'is required for EC (P-256, P-384 or P-521)' });
      else if (!['P-256', 'P-384', 'P-521'].includes(key.curve)) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'must be P-256, P-384 or P-521' });
      if (key.bits !== undefined) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'is only for RSA keys' });
    }
  });
export type KeySpecData = z.infer<typeof keySpec>;

function compiles(pattern: string): boolean {
  try {
    // On its own first: "[A-Z]{2})|(?:.*" compiles inside the anchors and would accept anything.
    new RegExp(pattern);
    new RegExp(`^(?:${pattern})$`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A quantified group that holds a quantifier itself, such as "([A-Z0-9]+)+": backtracking
 * takes exponential time on a value that almost matches (measured: 1.1 s at 27 characters,
 * doubling with each), and the check runs while the token is logged in. Refused; a bag or
 * serial number never needs one.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;
const backtracksSafely = (pattern: string) => !NESTED_QUANTIFIER.test(pattern);

/** A field of a record step: an id, or an id with a label, a pattern and whether it may stay empty. */
export const field = z.union([
  id(),
  z
    .strictObject({
      id: id(),
      label: bilingual.optional(),
      // Compiled here as the record step compiles it, so a broken one is refused by validate,
      // not found at the ceremony.
      pattern: z
        .string()
        .refine(compiles, { error: 'must be a regular expression (JavaScript syntax), e.g. "[A-Z]{2}[0-9]{6}"' })
        .refine(backtracksSafely, {
          error: 'must not repeat a group that repeats itself, such as "([A-Z0-9]+)+": checking a value could take minutes; write "[A-Z0-9]+"',
        })
        .optional(),
      /**
       * The pattern in words, for the screen and the reviewers (no regular expression is ever
       * shown at the ceremony): `{ en: two letters and six digits, zh-TW: 兩個英文字母加六位數字 }`.
       * Required with pattern.
       */
      format: bilingual.optional(),
      /** A value that matches the pattern, shown with the format ("AB123456"). Required with pattern. */
      example: z.string().min(1).optional(),
      optional: z.boolean().optional(),
      /**
       * A custody seal: the value is the number of a tamper-evident seal (a bag) that was opened
       * (`in`: the object taken out of storage) or closed (`out`: put back) on `object`. `keyceremony
       * history` checks that one ceremony's seal out of an object is the next one's seal in.
       */
      // A string checked below, not an enum: a wrong value inside this union would otherwise be
      // reported as the union's bare "invalid input" instead of naming what seal takes.
      seal: z.string().optional(),
      /** The sealed object (an HSM, a safe), the same id in every ceremony that seals it. */
      object: id().optional(),
      /** The value is the serial number of this token of the definition: compared with what the token itself reports. */
      hsmSerial: id().optional(),
      /** What the value is evidence of for the auditor (src/steps/record/evidence.ts). */
      evidence: evidenceKind.optional(),
    })
    .superRefine((f, ctx) => {
      if (f.seal !== undefined && f.seal !== 'in' && f.seal !== 'out')
        ctx.addIssue({
          code: 'custom',
          path: ['seal'],
          message: 'must be in (a seal opened: the object taken out) or out (a seal closed: the object put away)',
        });
      if (f.seal !== undefined && f.object === undefined)
        ctx.addIssue({ code: 'custom', path: ['object'], message: 'is required with seal: name the sealed object (e.g. hca-hsm), the same in every ceremony' });
      if (f.pattern !== undefined && f.format === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['format'],
          message:
            'is required with pattern: say the format in words in both languages, e.g. { en: two letters and six digits, zh-TW: 兩個英文字母加六位數字 } (the pattern itself is never shown at the ceremony)',
        });
      if (f.pattern !== undefined && f.example === undefined)
        ctx.addIssue({ code: 'custom', path: ['example'], message: 'is required with pattern: a value that matches it, e.g. AB123456' });
      if ((f.format !== undefined || f.example !== undefined) && f.pattern === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['pattern'],
          message: 'is required with format and example: the regular expression the value is checked against',
        });
      if (
        f.pattern !== undefined &&
        f.example !== undefined &&
        compiles(f.pattern) &&
        backtracksSafely(f.pattern) &&
        !new RegExp(`^(?:${f.pattern})$`).test(f.example)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['example'],
          message: `does not match the field's pattern ${f.pattern}: the example must be a value the field accepts`,
        });
      }
      if (f.seal === undefined && f.object !== undefined) ctx.addIssue({ code: 'custom', path: ['seal'], message: 'is required with object: in or out' });
    }),
]);

/**
 * The CA ledger of the signing key (docs/ledger-format.md): `from` the ledger the previous
 * ceremony of this key wrote (an input, or an earlier step's output), `to` the new one this
 * step writes. Without `from`, the step opens the key's ledger: its first entries.
 */
const ledgerFields = {
  from: z.string().optional(),
  /**
   * Opens the ledger of a key that signed before keyceremony (the HCA G2 key): the last CRL
   * number it used and the input listing the serials it issued, confirmed aloud at the step.
   */
  open: z
    .strictObject({
      lastCrlNumber: z
        .string({ error: 'must be a positive decimal number in quotes, e.g. "1234": the last CRL number the key issued' })
        .regex(/^[1-9][0-9]{0,47}$/, {
          error: 'must be a positive decimal number, e.g. "1234": the last CRL number the key issued (RFC 5280 §5.2.3: the next one is one more)',
        })
        .refine((n) => BigInt(n) + 1n < 2n ** 159n, { error: 'is too large: the next CRL number would not fit in 20 octets (RFC 5280 §5.2.3)' }),
      issuedSerials: z.string(),
    })
    .optional(),
  to: z.string(),
};
/** `from` continues a ledger and `open` starts one from a key's history: one or the other, never both. */
export const refineLedger = (spec: { from?: string | undefined; open?: unknown }, ctx: z.RefinementCtx) => {
  if (spec.from !== undefined && spec.open !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['open'],
      message: "cannot go with from: a ledger brought in already holds the key's history; open only the first ledger of a key that signed before keyceremony",
    });
  }
};
export const ledgerSpec = z.strictObject(ledgerFields).superRefine(refineLedger);
export type LedgerSpec = z.infer<typeof ledgerSpec>;

/** The files a step's ledger reads, for its spec's check: the ledger brought in, or the serial list it opens with. */
export function checkLedgerReferences(spec: LedgerSpec | undefined, scan: DefinitionScan): void {
  if (spec?.from) scan.fileReference(scan.at('ledger', 'from'), spec.from, ['ledger']);
  if (spec?.open) scan.fileReference(scan.at('ledger', 'open', 'issuedSerials'), spec.open.issuedSerials, ['serial-list']);
}

/** The ledger file a step with a `ledger` writes, for its spec's produces. */
export const ledgerProduced = (step: { ledger?: LedgerSpec | undefined }) =>
  step.ledger ? [{ name: step.ledger.to, kind: 'ledger' as const, field: ['ledger', 'to'] }] : [];
