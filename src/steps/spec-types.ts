// The pure face of a step type (DESIGN principle 9): what a definition may say for it, what
// it needs and makes, and the checks that need no HSM and no file. definition/, ui/, report/
// and the compiler read these facts instead of switching on the step type.
import type { z } from 'zod';
import type { CeremonyContext, FileKind, Problem, StepResult, Submission } from '../ceremony/types.js';
import type { Definition } from '../definition/definition.js';
import type { DefinitionData, KeySpecData } from '../definition/schema.js';
import type { Bilingual } from '../definition/primitives.js';
import type { CriterionKey } from '../report/criteria.js';
import type { Content, Inline } from '../report/document.js';
import type { Messages as ReportMessages } from '../report/i18n.js';
import type { MessageKey, Translate } from '../ui/i18n/index.js';
import type { Block, Fact } from '../ui/model/blocks.js';
import type { FieldSpec } from '../ui/model/fields.js';
import type { KeyAlgorithm } from '../util/key-algorithm.js';
import type { Lang } from '../util/lang.js';
import type { EvidenceKind } from './record/evidence.js';
import type { YamlPath } from '../util/strict-yaml.js';
import type { IssueOperation } from '../x509/preflight.js';

export type { FileKind } from '../ceremony/types.js';

/**
 * The families of audit criteria a step type is governed by (issue 22 item 9): CA key
 * generation (BR 6.1.1.1, the WebTrust key generation script), CA key storage, backup and
 * recovery, CA public key distribution (a CA certificate checked and accepted), CA key usage
 * (issuance, CRLs), CA key destruction, and activation data with its custodians. The report shows the criteria of the families a ceremony's steps belong to.
 */
export type CriteriaKind = 'key-generation' | 'key-storage' | 'key-distribution' | 'key-usage' | 'key-destruction' | 'activation-data';
export const CRITERIA_KINDS: readonly CriteriaKind[] = ['key-generation', 'key-storage', 'key-distribution', 'key-usage', 'key-destruction', 'activation-data'];

/** The keys every step has (src/steps/shared/step-schema.ts `common`). */
export interface BaseStep {
  id: string;
  type: string;
  title?: Bilingual | undefined;
  instructions?: Bilingual | undefined;
  webtrust?: Array<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h'> | undefined;
  by?: string | undefined;
  witness?: string | undefined;
  witnesses?: number | undefined;
}

/** A token the step needs logged in, and as whom. */
export interface TokenLogin {
  token: string;
  userType: 'user' | 'so';
}

/** A credential the step splits into a new share set, and the shape of that set. */
export interface CredentialSplit {
  credential: string;
  threshold: number;
  of: number;
  /** The new set replaces the credential's current one, whose quorum is entered first (a rotation). */
  replaces?: boolean;
}

/** A file the step writes into outputs/. */
export interface ProducedFile {
  name: string;
  kind: FileKind;
  /** The step's field that names it: where the definition checker points if the name is bad or taken. */
  field: readonly string[];
}

/**
 * What a step signs under an X.509 profile, for the checks before anyone signs in
 * (src/definition/x509-preflight.ts): the profile must fit the operation, the signing key and
 * the key certified, and the validity must fit inside the issuer's.
 */
export interface X509Signing {
  operation: IssueOperation;
  /** The definition's name of the X.509 profile. */
  profile: string;
  /** The label of the key that signs. */
  key: string;
  /** The key certified: the signing key itself (self-signed), or the key the definition says the CSR carries. */
  subjectKey: 'signing key' | KeyAlgorithm;
  /** The issuer's certificate (an input or an earlier output); none when self-signed. */
  issuer?: string;
  /** The request certified, an input or an earlier output, with the YAML key that states its key. */
  csr?: { name: string; keyAt: string };
  /** The certificate the step writes, so a later step's issuer is known. */
  output: string;
}

/** What the step puts into X.509 names and signs with a profile, checked before sign-in. */
export interface X509Facts {
  /** The distinguished name the step writes or expects, with the YAML key it is at. */
  subject?: { at: string; name: Readonly<Record<string, string>> };
  signing?: X509Signing;
}

/** What the definition checker tracks while it walks the steps in order. */
export interface DefinitionScan {
  /** The definition being checked (its steps validated one by one already). */
  data: Omit<DefinitionData, 'steps'>;
  /** The step's index and the number of steps. */
  index: number;
  count: number;
  /** The YAML path of something in the current step: at('key', 'label'). */
  at(...rest: Array<string | number>): YamlPath;
  problem(path: YamlPath, message: string): void;
  /** A key generated earlier or declared; reports it if neither. */
  useKey(path: YamlPath, label: string): { token: string; step: string | undefined } | undefined;
  /** Reports it unless the token is unlocked as user at this point. */
  needLogin(path: YamlPath, token: string, stepType: string): void;
  /** A file the step reads: an input, or an earlier step's output of one of these kinds. */
  fileReference(path: YamlPath, name: string, kinds: FileKind[]): void;
  /** Reports it unless the definition has an X.509 profile of this name. */
  needProfile(path: YamlPath, profile: string): void;
  /** Reports it unless the definition has a token of this name. */
  needToken(path: YamlPath, token: string): void;
  unlocked: Map<string, 'user' | 'so'>;
  initialised: Set<string>;
  keys: Map<string, { token: string; step: string | undefined }>;
  credentialsWithManifest: Set<string>;
  /** Earlier steps that made a key, a CSR, a certificate, a CRL or a share set (confirm-result may name them). */
  confirmable: Set<string>;
}

/** A value people type at a step, as the definition declares it (a record step's fields). */
export interface TypedField {
  id: string;
  label: Bilingual | undefined;
  pattern: string | undefined;
  /** The pattern in words, and a value that matches it: what the screen shows instead of the pattern. */
  format: Bilingual | undefined;
  example: string | undefined;
  optional: boolean;
  /** The token whose serial this is (read from the HSM and compared). */
  hsmSerial: string | undefined;
  /** What the value is evidence of for the auditor. */
  evidence: EvidenceKind | undefined;
}

/** One row of a step's table in the plan and the record: label and value. */
export type ScriptRow = readonly [string, Content];

/**
 * What the plan and the record lend a spec to write its step's rows (src/report/script.ts
 * makes it): the report's words and formatters, so the spec picks what to show and the
 * report keeps how it looks. Passed in, because a spec imports no report at run time.
 */
export interface ScriptRowKit {
  lang: Lang;
  t: ReportMessages;
  code: (text: string) => Inline;
  /** A credential with its token, PIN kind, quorum and custodian role. */
  credential: (name: string) => Inline[];
  /** `step 3 (init)`. */
  stepRef: (stepId: string) => string;
  /** `C=TW, O=…, CN=…`. */
  dn: (subject: Partial<Record<string, string>>) => string;
  /** A field of the step by the name the document gives it. */
  fieldLabel: (fieldId: string) => string;
}

/** What the terminal lends a spec to say a step's result: words, and a journal time in the ceremony's zone. */
export interface ResultFactKit {
  t: Translate;
  time: (iso: string) => string;
}

/**
 * What the terminal lends a spec to say what its step is about to do (src/ui/model/facts.ts
 * makes it, for one step): the screen's words and the ways it names tokens, keys, credentials
 * and people. Passed in, because a spec imports no UI at run time.
 */
export interface ScreenFactKit {
  lang: Lang;
  t: Translate;
  definition: Definition;
  context: CeremonyContext;
  /** A token by its title, with its id aside. */
  token: (name: string) => string;
  /** A key: label, algorithm and token, and its fingerprint once it exists. */
  key: (label: string) => Fact[];
  /** A credential, its quorum and its current share set. */
  credential: (name: string) => Fact[];
  /** The share sets the step makes, and who receives them. */
  newShares: () => Fact[];
  /** `C=TW, O=…, CN=…`. */
  dn: (subject: Partial<Record<string, string>>) => string;
  person: (id: string) => string;
  /** A step by its number and title, as the header names it. */
  stepName: (id: string) => string;
  /** The journal's deviations are at hand and listed below the facts (a step with `listsDeviations`). */
  deviationsListed: boolean;
}

/**
 * What the terminal lends a spec to ask for its step's values at approval (src/ui/model/approval.ts
 * makes it, for one step). The fields are checked as they are typed; the machine checks again.
 */
export interface ApprovalKit {
  lang: Lang;
  t: Translate;
  definition: Definition;
  context: CeremonyContext;
  /** The form's name of a step value (prefixed, so that a value never passes for a person). */
  valueName: (name: string) => string;
  /** A fingerprint typed back (at least 16 hex digits), against `expected` when it is known. */
  fingerprint: (name: string, label: string, expected: string | undefined, mismatch: string) => FieldSpec;
  /** Who receives the new share sets, asked only when the holders of the role are not exactly as many as the shares. */
  custodians: () => FieldSpec[];
  /** The deviations' text field: with deviations on record, it asks for anything beyond them. */
  deviationText: (name: string) => FieldSpec;
  /** A token by its title. */
  token: (name: string) => string;
  /** Where a value was typed earlier in this ceremony, as people call it: the step by its number and title, the field by its label. */
  recordedAt: (stepId: string, fieldId: string) => { step: string; field: string };
}

/** A step type's pure face. `S` is the step as its schema parses it. */
export interface StepSpec<S extends BaseStep> {
  type: S['type'];
  /** The strict schema of one step of this type (ceremonies/schema.json is made from it). */
  schema: z.ZodType<S>;
  /** Needs a performer and a witness who are different people from non-conflicting roles (DESIGN principle 2). */
  sensitive: boolean;
  /** The title a step of this type gets when the definition gives none. */
  title: Bilingual;
  /**
   * The audit criteria that govern what this step does (none for steps every ceremony has:
   * sign-in, records, unlock, sign-off). Kept here so a new step type says it at once.
   */
  governedBy?: readonly CriteriaKind[];
  /** More witnesses than one, and why (the definition checker asks for `witnesses: n`). */
  minWitnesses?: { count: number; because: string };
  /**
   * A step with a flow of its own instead of perform-and-witness: every participant signs in
   * (`participants`), or every participant signs off (`sign-offs`).
   */
  flow?: 'participants' | 'sign-offs';
  /** A dry run's answers file may leave a step of this type out (everything it needs comes from elsewhere). */
  answerOptional?: boolean;
  /** Where in the ceremony a step of this type must stand, and the checker's words if not. */
  position?: { where: 'first' | 'last'; misplaced: string; missing: string };

  /** The token this step needs logged in (asked again of the quorum after a restart). */
  login?(step: S, definition: Definition): TokenLogin | undefined;
  /** The credential whose shares the custodians enter before approval. */
  collects?(step: S): string;
  /** Credentials split into new share sets and handed to custodians before the work, with their shape. */
  splits?(step: S, definition: Pick<Definition, 'credentials'>): CredentialSplit[];
  /**
   * Files the step writes into outputs/ (its output, its share-set manifests). The one list:
   * the definition checker registers them after `check` (plain names, none written twice), and
   * the plan, resume and reconciliation read them through producedFiles/producedBy.
   */
  produces?(step: S): ProducedFile[];
  /** The token the step initialises (it must not exist before the ceremony). */
  initialises?(step: S): string;
  /**
   * The key the step generates, if it does, with the algorithm when the token's generator
   * makes it (the plan's "keys to be generated"; a restored key's comes from its backup).
   */
  generates?(step: S): { label: string; token: string; algorithm?: KeySpecData } | undefined;
  /** The key comes from a backup file (an input) under a KEK credential, not from the token's generator. */
  restoresFrom?(step: S): { backup: string; kek: string };
  /** The key the step wraps into a backup file (its output): the key inventory lists the file as a copy. */
  backsUp?(step: S): string;
  /** The key the step destroys (the letter and inventory say "destroyed", not "used"). */
  destroys?(step: S): string;

  /** The values people type at this step, as the definition declares them (a record step's fields). */
  typedFields?(step: S): TypedField[];
  /** A typed value that says there is nothing to report (an exception step's "none"), which documents say in their own words. */
  saysNothing?(field: string, value: string): boolean;
  /** A step where the witness writes down the deviations so far: the plan lists it, the screen shows them. */
  listsDeviations?: boolean;
  /**
   * The deviation a completed step of this type wrote down (its journal values), or undefined
   * when it wrote none ("none"): the closing screen and the sign-off count it with the ^E exceptions.
   */
  writtenDeviation?(values: object): string | undefined;
  /**
   * The audit criteria whose rows in the plan (and in the record, where a row lists steps)
   * name every step of this type: WebTrust (a) sign-in, (c) credentials and tokens, (g)
   * sign-off, (h) deviations, BR (3) the module for token and key generation steps. A step
   * of a type evidencing (g) covers it: the plan warns when none does.
   */
  evidences?: readonly CriterionKey[];
  /** The rows particular to this type in the plan's and the record's step tables (after who performs and witnesses). */
  scriptRows?(step: S, kit: ScriptRowKit): ScriptRow[];
  /** Lines above the facts on the step screen: a statement to confirm, a warning, what to read aloud. */
  screenNotes?(step: S, kit: ScreenFactKit): Block[];
  /** What the step is about to do, as facts on the step screen before approval. */
  screenFacts?(step: S, kit: ScreenFactKit): Fact[];
  /** The step's values asked at approval (after a token label to type back, before the people). */
  asks?(step: S, kit: ApprovalKit): FieldSpec[];

  /** What the terminal says while the step's work runs, and on its go-ahead key (message keys of src/ui/i18n). */
  screen?: { busy?: MessageKey; goAhead?: MessageKey };

  /** Names and X.509 signing of this type, for the pre-ceremony X.509 checks (validate, plan, run before sign-in). */
  x509?(step: S): X509Facts;

  /** The definition checks of this type (references, order), reported through the scan. */
  check?(step: S, scan: DefinitionScan): void;

  /** An effect runs before approval, so the screen can show what is about to happen (run.ts `prepare`). */
  prepares?: boolean | ((step: S) => boolean);
  /** An effect does the step's work (run.ts `work`); a step without one completes with `result`. */
  works?: boolean;
  /** Checks on the submission beyond who performs and witnesses (pure: context and submission only). */
  checkSubmission?(step: S, submission: Submission, context: CeremonyContext, definition: Definition): Problem | undefined;
  /**
   * The result of an earlier step this step has the witness type back, and its SHA-256: the
   * read-aloud after that step must say exactly this value, or the witness never wrote it down.
   */
  confirms?(step: S, context: CeremonyContext): { of: string; sha256: string } | undefined;
  /**
   * Values of this step's fields that the HSM itself reports (a token's serial, read before the
   * step): a dry run's answers take them with `{ reportedByToken: true }`, as a throwaway token's
   * serial is new in every rehearsal. The check against the HSM is the same.
   */
  reported?(step: S, context: CeremonyContext): Record<string, string | undefined>;
  /** Values the screen shows at this step for typing back (`{ shown: true }` in a dry run's answers). */
  shown?(step: S, context: CeremonyContext): Record<string, string | undefined>;
  /**
   * What the witnesses read aloud of the step's result besides its fingerprints (a CRL's
   * number, issuer and dates), with the first file it wrote and on the record line.
   */
  resultFacts?(step: S, result: StepResult, kit: ResultFactKit): Fact[];
  /** The result of a step without work. */
  result?(step: S, submission: Submission, context: CeremonyContext): StepResult;
}

/** A step's refusal: its code, the English message and hint, and the facts the message names (`details`) for a sentence in another language. */
export const refusal = (step: string, code: string, message: string, hint?: string, details?: Problem['details']): Problem => ({
  step,
  code,
  message,
  hint,
  ...(details ? { details } : {}),
});
