// The words of the ceremony script and record, in English and Traditional Chinese. One
// interface, so a message missing in either language is a compile error. Texts from the
// definition (titles, instructions) and from the journal (names, values, the tool's own
// messages) are shown as they were written; only the frame around them is translated.
import type { SectionKey } from './document.js';
import type { IncidentKind, StepStatus } from './ceremony-record.js';
import type { DeviationKind } from '../ceremony/deviations.js';
import type { CriteriaKind } from '../steps/spec-types.js';
import type { CeremonyKind } from './criteria.js';
import type { FileKind } from '../ceremony/types.js';
import { JOURNAL_EVENTS, type JournalEventName } from '../journal/events.js';

/** The private key attributes a report words (src/steps/generate-key records them), where read back. */
export interface KeyAttributeFlags {
  local?: boolean | undefined;
  alwaysSensitive?: boolean | undefined;
  neverExtractable?: boolean | undefined;
  extractable?: boolean | undefined;
  wrapWithTrusted?: boolean | undefined;
}

/** Each kind of ceremony by its own name in the Traditional Chinese titles (issue 22 item 16). */
const ZH_KIND: Record<CeremonyKind, string> = {
  'key-generation': '金鑰產製',
  issuance: '憑證簽發',
  crl: '憑證廢止清冊簽發',
  acceptance: '憑證接受',
  'custodian-change': '保管人異動',
  destruction: '金鑰銷毀',
  'token-init': '載具初始化',
  other: '金鑰',
};
import type { EvidenceGroup, EvidenceKind } from '../steps/record/evidence.js';

export type { Lang } from '../util/lang.js';
import type { Lang } from '../util/lang.js';
import { counted as countedWord } from '../util/plural.js';

/** `3 tokens`, `1 exception`: the count and the noun in its number (a report said `1 exception(s)`). */
const counted = (lang: Lang, n: number, noun: string): string => `${n} ${countedWord(lang, n, noun)}`;
import { SIGNAL_AT_TERMINAL, SIGNAL_UNKNOWN, type JournalNote } from '../util/journal-notes.js';

export interface Messages {
  htmlLang: string;
  none: string;
  yes: string;
  no: string;
  listSeparator: string;
  /** Between the parts of one entry (a person, a time, a step): a full-width comma in Chinese. */
  listComma: string;
  /** Between a label and its value in running text: `: ` or `：`. */
  colon: string;
  /** A remark in brackets after a text: `王小明 (alice)` in en, `王小明（alice）` in zh-TW (full-width, issue 16). */
  aside: (text: string, aside: string) => string;
  /** Between the clauses of a line: `, ` or `，`. */
  comma: string;
  noticeLabels: { info: string; warning: string };
  contents: string;
  sections: Record<SectionKey, string>;
  planTitle: (title: string, kind: CeremonyKind) => string;
  reportTitle: (title: string, kind: CeremonyKind) => string;
  planIntro: string;
  /** The release a definition pins (`tool: { sha256 }`), or that it pins none. */
  toolPinned: (hex: string, words: string) => string;
  toolNotPinned: string;
  reportIntro: string;
  /** The intro when the journal records the script's approval (issue 22 item 12). */
  reportIntroApproved: (approvedBy: string, reference: string) => string;
  approval: string;
  /** confirm-result (issue 22 item 2): whose result the witness confirms, and the two facts the record keeps apart. */
  confirmsResultOf: string;
  approvedStart: string;
  confirmedResult: string;
  resultNotConfirmed: string;
  approvalRecorded: (approvedBy: string, reference: string, typed: string) => string;
  approvalNotRecorded: string;
  approvalBlock: string;
  approvalStatement: string;
  approver: string;
  approverRole: string;
  approvalHowToRecord: string;
  stepHeading: (number: number, title: string) => string;
  stepRef: (number: number, id: string) => string;
  stepCount: (steps: number, sensitive: number) => string;
  threshold: (threshold: number | undefined, count: number | undefined) => string;
  /** Under a new set's threshold: every quorum of it was combined and checked at the terminal before any share was shown (issue 16 item 6). */
  quorumsChecked: (count: number) => string;
  times: (count: number) => string;
  footer: (kind: 'plan' | 'report', ceremony: string, sha: string, tool: string) => string;

  // Ceremony (section 1)
  ceremonyId: string;
  title: string;
  description: string;
  definitionFile: string;
  definitionSha256: string;
  steps: string;
  recordedAtCeremony: string;
  recordedValues: string;
  auditEvidence: string;
  auditEvidenceIntro: string;
  evidenceGroup: string;
  evidenceItem: string;
  evidenceNotDeclared: string;
  evidenceGroups: Record<EvidenceGroup, string>;
  status: string;
  statusCompleted: string;
  statusAborted: string;
  statusOpen: string;
  date: string;
  started: string;
  ended: string;
  tool: string;
  toolSha256: string;
  node: string;
  os: string;
  host: string;
  timeZone: string;
  /** Labels of the values a step other than record takes (record fields carry their own), by value id. */
  valueLabels: Readonly<Record<string, string>>;
  /** An exception step's typed "none". */
  noDeviationTyped: string;
  /** Token facts at the opening (PIN flags), by key; true/false are said as yes/no. */
  tokenFactLabels: Readonly<Record<string, string>>;
  /** What a PKCS#11 module's own description string means, for the ones known (SoftHSM's). */
  moduleDescriptions: Readonly<Record<string, string>>;
  timeZoneDeclared: (zone: string) => string;
  timeZoneNotDeclared: string;
  terminalTimeZone: string;
  dryRun: string;
  dryRunNotice: string;
  /** A production ceremony on a software token (SoftHSM, NSS softoken), named as it says it is. */
  softwareTokenNotice: (device: string) => string;
  softwareToken: string;
  softwareTokenValue: (device: string) => string;
  answersFile: string;
  openNotice: (seq: number, event: string) => string;
  sealStatuses: { completed: string; aborted: string };
  toBeInitialised: string;
  abortedNotice: (reason: string) => string;
  step: string;
  field: string;
  value: string;

  // Roles and participants (section 2)
  role: string;
  roleTitle: string;
  minimum: string;
  conflictsWith: string;
  performs: string;
  witnesses: string;
  conflictRule: string;
  participants: string;
  participant: string;
  participantId: string;
  roles: string;
  signedIn: string;
  signedOff: string;
  defaultRoleTitles: Readonly<Record<string, string>>;
  /** A role the definition gives no title and the tool knows no title for: its id, marked as one. */
  untitledRole: (id: string) => string;

  // Hardware and activation materials (section 3)
  hsmModule: string;
  modulePath: string;
  manufacturer: string;
  moduleDescription: string;
  libraryVersion: string;
  cryptokiVersion: string;
  hsmProfile: string;
  profileDescription: string;
  /** The HSM profile's description: free text its author wrote, in one language, quoted as written. */
  profileDescriptionText: (description: string) => string;
  tokens: string;
  token: string;
  label: string;
  serial: string;
  model: string;
  firmware: string;
  stateAtOpening: string;
  present: string;
  credentials: string;
  credential: string;
  pinType: string;
  pinUser: string;
  pinSo: string;
  kekCredential: string;
  kekLength: string;
  custodianRole: string;
  pinLength: string;
  pinLengthValue: (length: number) => string;
  declaredKeys: string;
  algorithm: string;
  keyBackup: string;
  backupEnabled: string;
  backupNever: string;
  inputs: string;
  input: string;
  kind: string;
  /** What each kind of file is, in the reader's words (the journal's kind is a key). */
  fileKinds: Readonly<Record<FileKind, string>>;
  expectedSha256: string;
  sha256: string;
  bytes: string;
  shareSets: string;
  setId: string;
  custodians: string;
  manifest: string;
  materialsIntro: string;
  /** Added after materialsIntro when a credential is a key-encryption key (a KEK is not a PIN, and is not rebuilt at unlock). */
  materialsIntroKek: string;

  // Steps (section 4)
  stepId: string;
  stepType: string;
  sensitive: string;
  sensitiveYes: string;
  sensitiveNo: string;
  performedByRole: string;
  witnessedByRole: string;
  witnessRole: (role: string, count: number) => string;
  webtrustCriteria: string;
  instructions: string;
  statement: string;
  fields: string;
  fieldOptional: string;
  /** A field's format in words and an example value: never the pattern itself (issue 16 item 8). */
  fieldFormat: (format: string, example: string) => string;
  soCredential: string;
  userCredential: string;
  key: string;
  subject: string;
  hash: string;
  output: string;
  profile: string;
  validity: string;
  validityYears: (years: number) => string;
  issuer: string;
  csr: string;
  csrKey: string;
  certificate: string;
  chain: string;
  nextUpdate: string;
  nextUpdateDays: (days: number) => string;
  revoked: string;
  ledgerOpening: string;
  ledgerOpeningDeclared: (lastCrlNumber: string, list: string) => string;
  newThreshold: string;
  lockAll: string;
  doneBlank: string;
  stepStatus: string;
  stepStatuses: Record<StepStatus | 'stopped', string>;
  performedBy: string;
  witnessedBy: string;
  approvedBy: string;
  valuesRecorded: string;
  sharesHandedOver: string;
  sharesEntered: string;
  shareEntered: (custodian: string, index: string, setId: string) => string;
  loggedIn: (token: string, userType: string, credential: string, setId: string) => string;
  session: string;
  lockedTokens: string;
  loggedInTokens: string;
  destroyedKeys: string;
  keys: string;
  outputs: string;
  details: string;
  preparedFacts: string;
  signedOffBy: string;
  eventsInStep: string;
  notRecorded: string;
  script: string;
  record: string;

  // Deviations (section 5)
  deviationsPlan: string;
  deviationsNone: string;
  deviationsIntro: string;
  /** How many went off the script, by the one count the screens and the letter use (deviationsOf). */
  deviationsCount: (count: number) => string;
  /** What each deviation is, by its kind (deviationsOf): a crash is called a crash. */
  deviationKinds: Record<DeviationKind, string>;
  /** A crash's detail: the last record the process wrote before it ended. */
  crashDetail: (record: string) => string;
  /** Above the other records of the course (resumes, restarts, logins again): listed, not counted. */
  otherEventsIntro: string;
  time: string;
  event: string;
  who: string;
  incidentKinds: Record<IncidentKind, string>;
  incidentLabels: {
    reason: string;
    text: string;
    code: string;
    message: string;
    hint: string;
    note: string;
    event: string;
    pausedFor: string;
    signal: string;
    created: string;
    followedScriptNo: string;
  };
  /**
   * Labels of the other fields the engine writes into incident records (interruption,
   * restart, resume, reconciliation), nested ones included: a zh-TW report shows no journal key.
   */
  incidentFields: Readonly<Record<string, string>>;
  /** The engine's fixed notes in incident records (src/util/journal-notes.ts), in the reader's words. */
  journalNotes: Record<JournalNote, string>;
  /** Fixed values the engine records (a signal, a decision, where a step was adopted from, yes/no). */
  engineValues: Readonly<Record<string, string>>;

  // Fingerprints (section 6)
  keysToGenerate: string;
  outputsToWrite: string;
  fingerprintsPlan: string;
  spkiSha256: string;
  /** Labels of the facts a step records (its details), by key. */
  detailLabels: Readonly<Record<string, string>>;
  /** Fixed values the engine records under a detail's key (confirm-result's what: key or file), in words. */
  detailValues: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** destroy-key's provenGone, said as exactly what it shows. */
  provenGone: string;
  /** After provenGone: the key's other copies and backups in this record's key inventory (none: an empty list). */
  provenGoneCopies: (copies: readonly string[]) => string;
  /** The key inventory (issue 18): each key, where it is held, how it came there, what became of it. */
  keyInventory: string;
  keyInventoryIntro: string;
  heldIn: string;
  cameBy: string;
  atTheEnd: string;
  inventoryToken: (token: string) => string;
  inventoryBackupFile: (name: string) => string;
  inventoryGenerated: (step: string) => string;
  inventoryRestored: (step: string, from: string | undefined) => string;
  inventoryDeclared: string;
  inventoryBackupMade: (step: string, kekSet: string | undefined) => string;
  inventoryBackupBrought: string;
  inventoryOnToken: string;
  inventoryDestroyed: (step: string) => string;
  inventoryFileKept: string;
  /** generate-key's private key attributes, read back from the token (issue 22 item 3). */
  keyAttributes: string;
  /** What the attributes read back mean, following the values recorded (a backup key is not never-extractable). */
  keyAttributesMeaning: (attributes: KeyAttributeFlags) => string;
  keyAttributesNotRead: string;
  /** accept-certificate's certificate object on the token. */
  certificateOnToken: (label: string, id: string, token: string, alreadyThere: boolean) => string;
  /** The release the ceremony ran on (journal header tool.release). */
  toolRelease: string;
  toolReleaseInstalled: (selfCheck: string) => string;
  toolReleaseCheckout: string;
  file: string;
  noKeys: string;
  noOutputs: string;

  // Criteria (section 7)
  criterion: string;
  requirement: string;
  wherePlan: string;
  whereReport: string;
  notCovered: string;
  criteriaGaps: (letters: string) => string;
  /** The families of criteria (src/steps/spec-types.ts CriteriaKind). */
  criteriaKinds: Record<CriteriaKind, string>;
  criteriaKindsIntro: (kinds: string, others: string) => string;
  noCriteriaKinds: string;
  /** A row of a family the ceremony has, but no step of this ceremony covers. */
  notInCeremony: string;
  scriptIncludes: string;
  /** After scriptIncludes when no step is tagged but the record shows facts: no second colon. */
  noTaggedStep: string;
  recordShows: string;
  witnessNotShown: string;
  witnessNotDeclared: string;
  auditorSignedIn: string;
  outsideRecordReport: string;
  paperEnvironment: string;
  paperControls: string;
  approvalTypedOnly: string;
  destructionCopies: string;
  /** Record fields tagged as audit evidence (src/steps/record/evidence.ts). */
  evidenceKinds: Record<EvidenceKind, string>;
  stepsCompleted: (done: number, total: number) => string;
  sensitiveDone: (done: number, total: number) => string;
  participantsSignedIn: (count: number, time: string) => string;
  materialsSummary: (tokens: number, shareSets: number) => string;
  signOffSummary: (signed: number, total: number, notFollowed: number) => string;
  incidentsSummary: (exceptions: number, all: number) => string;
  quorumEntered: string;

  // Journal (section 8)
  journalFile: string;
  records: string;
  firstRecord: string;
  lastRecord: string;
  /** The journal's event names (the last record's kind), in the reader's words. */
  journalEvents: Readonly<Record<JournalEventName, string>>;
  sealedAt: (seq: number, status: string) => string;
  notSealed: string;
  finalHash: string;
  finalWords: string;
  journalVerified: (count: number) => string;
  journalHeadChecked: (seq: number) => string;
  journalHeadNotChecked: string;
  journalHead: string;
  journalPlan: string;
  verifyCommand: string;
  checkpointsTitle: string;
  checkpointsNone: string;
  checkpointColumns: readonly string[];
  checkpointVerified: string;
  checkpointNotChecked: string;
  checkpointKeysGiven: string;
  checkpointKeysWorkdir: string;
  checkpointsLimit: (covered: number | undefined, last: number) => string;

  // Sign-off (section 9)
  signOffStatementPlan: string;
  signOffStatementReport: (sha: string, words: string) => string;
  name: string;
  signature: string;
  signDate: string;
  organisation: string;
  auditor: string;
  recordedSignOff: string;
  followedScript: string;
  notFollowedScript: string;
  roleSlot: (role: string, n: number, of: number) => string;
}

const en: Messages = {
  htmlLang: 'en',
  none: '—',
  yes: 'yes',
  no: 'no',
  listSeparator: ', ',
  listComma: ', ',
  colon: ': ',
  aside: (text, aside) => `${text} (${aside})`,
  comma: ', ',
  noticeLabels: { info: 'Note', warning: 'Warning' },
  contents: 'Contents',
  sections: {
    ceremony: 'Ceremony',
    roles: 'Roles and participants',
    materials: 'Cryptographic hardware and activation materials',
    steps: 'Steps',
    deviations: 'Exceptions and deviations',
    fingerprints: 'Keys and files: fingerprints',
    criteria: 'Audit criteria for the kinds of work this ceremony does',
    journal: 'Journal',
    'sign-off': 'Sign-off',
    glossary: 'Glossary',
  },
  planTitle: (title) => `Key ceremony script: ${title}`,
  toolPinned: (hex, words) =>
    `Tool: this script runs only on the keyceremony release with bundle hash ${hex} (${words}). Before the ceremony, keyceremony self-check on the terminal must print this value; run refuses any other release, a changed one, and a git checkout.`,
  toolNotPinned:
    'Tool: this script does not pin a keyceremony release (no tool.sha256 in the definition), so any keyceremony can run it. Write the bundle hash that keyceremony self-check prints on the approved script, or pin it in the definition.',
  reportTitle: (title) => `Key ceremony record: ${title}`,
  planIntro:
    'This is the key generation script to be reviewed and approved before the ceremony. keyceremony runs exactly this definition; its SHA-256 is recorded in the journal. The record of the ceremony (keyceremony report) has the same sections and step numbers, so the two can be read side by side.',
  reportIntroApproved: (approvedBy, reference) =>
    `This is the record of the key ceremony, rendered from its hash-chained journal after the journal was verified. Its sections and step numbers are those of the script (keyceremony plan) whose definition SHA-256 the journal records; before sign-in, the journal recorded that script's approval by ${approvedBy} (reference ${reference}), whose handwritten signature is on the paper approval.`,
  approval: 'Approval of the script',
  confirmsResultOf: 'Confirms the result of',
  approvedStart: 'Approved the start (witness)',
  confirmedResult: 'Confirmed the result',
  resultNotConfirmed: 'not confirmed: no witness typed back the fingerprint of this result (no confirm-result step)',
  approvalRecorded: (approvedBy, reference, typed) =>
    `approved by ${approvedBy}, reference ${reference}; the approval names definition SHA-256 ${typed}…, which matches (recorded before sign-in)`,
  approvalNotRecorded: 'not recorded: the journal holds no approval of the script',
  approvalBlock: 'Approval of this script',
  approvalStatement:
    'I approve this key ceremony script for the ceremony. It is the definition file with the SHA-256 below; any other version needs its own approval.',
  approver: 'Approver',
  approverRole: 'Role',
  approvalHowToRecord:
    'At the ceremony, the approval is recorded before sign-in: keyceremony run … --approved-by <approver> --approval <reference> --approved-sha256 <at least the first 16 hex digits above>. run refuses an approval that names another SHA-256.',
  reportIntro:
    'This is the record of the key ceremony, rendered from its hash-chained journal after the journal was verified. Its sections and step numbers are those of the script (keyceremony plan) whose definition SHA-256 the journal records; this record does not show who approved that script.',
  stepHeading: (number, title) => `Step ${number} · ${title}`,
  stepRef: (number, id) => `step ${number} (${id})`,
  stepCount: (steps, sensitive) =>
    `${steps} steps, ${sensitive} of them sensitive (performed and witnessed under different participant ids; identities are checked on paper, on the attendance sheet)`,
  threshold: (threshold, count) => `${threshold ?? '?'} of ${count ?? '?'}`,
  quorumsChecked: (count) => `all ${count} ${count === 1 ? 'quorum' : 'quorums'} combined and checked before any share was shown`,
  times: (count) => `× ${count}`,
  footer: (kind, ceremony, sha, tool) => `${ceremony} · ${kind === 'plan' ? 'script' : 'record'} · definition SHA-256 ${sha} · ${tool}`,

  ceremonyId: 'Ceremony',
  title: 'Title',
  description: 'Description',
  definitionFile: 'Definition file',
  definitionSha256: 'Definition SHA-256',
  steps: 'Steps',
  recordedAtCeremony: 'Recorded at the ceremony',
  recordedValues: 'Recorded values (date, place and others)',
  auditEvidence: 'Audit evidence',
  auditEvidenceIntro:
    'What the script declares as audit evidence (record fields with an evidence tag), as the journal recorded it. The documents themselves (video, attendance sheet, asset register) are on paper or in the evidence store; this record holds their references as typed.',
  evidenceGroup: 'Evidence',
  evidenceItem: 'Item',
  evidenceNotDeclared: 'not declared: the script has no field for it',
  evidenceGroups: {
    video: 'Video of the ceremony',
    auditor: 'Qualified Auditor',
    attendance: 'Attendance',
    'hsm-inventory': 'HSM inventory check',
    register: 'Bag and envelope register',
    'key-inventory': 'Key inventory of the token',
  },
  status: 'Status',
  statusCompleted: 'completed and sealed',
  statusAborted: 'aborted and sealed',
  statusOpen: 'not ended: the journal is not sealed',
  date: 'Date',
  started: 'Started',
  ended: 'Ended',
  tool: 'Tool',
  toolSha256:
    'Tool SHA-256 (self-reported over dist/ and package.json; compare with an independently computed value; it leaves out Node.js, the PKCS#11 library and node_modules)',
  node: 'Node.js',
  os: 'Operating system',
  host: 'Host name',
  timeZone: 'Time zone',
  valueLabels: {
    text: 'deviations written down',
    'csr-sha256': 'CSR SHA-256 typed back',
    'spki-sha256': 'public key SHA-256 typed back',
    'result-sha256': 'result SHA-256 typed back',
    label: 'label typed back',
    custodians: 'custodians',
    decision: 'decision',
    reason: 'reason',
    'hsm-serial': 'HSM serial',
  },
  noDeviationTyped: 'none',
  tokenFactLabels: {
    'pinFlags.soPinCountLow': 'SO PIN: a wrong entry recorded',
    'pinFlags.soPinFinalTry': 'SO PIN: final try',
    'pinFlags.soPinLocked': 'SO PIN locked',
    'pinFlags.userPinCountLow': 'user PIN: a wrong entry recorded',
    'pinFlags.userPinFinalTry': 'user PIN: final try',
    'pinFlags.userPinInitialized': 'user PIN set',
    'pinFlags.userPinLocked': 'user PIN locked',
  },
  moduleDescriptions: {},
  timeZoneDeclared: (zone) => `${zone}, the ceremony's own (the definition's timeZone): every time in this document is shown in it`,
  timeZoneNotDeclared: 'not declared by the definition: times are shown as the terminal recorded them',
  terminalTimeZone: 'Terminal time zone',
  dryRun: 'Dry run',
  dryRunNotice: 'DRY RUN: a rehearsal with an HSM profile marked dryRun. No production key was generated.',
  softwareTokenNotice: (device) =>
    `SOFTWARE TOKEN: this production ceremony ran on ${device}, a software token, not an HSM (run --allow-software-token). The keys it made are files on the computer it ran on; they were never in an HSM.`,
  softwareToken: 'Software token',
  softwareTokenValue: (device) => `yes: ${device}, not an HSM`,
  answersFile: 'Scripted answers file',
  sealStatuses: { completed: 'completed', aborted: 'aborted' },
  toBeInitialised: 'to be initialised by this ceremony',
  openNotice: (seq, event) =>
    `The journal is not sealed: the ceremony has not ended (the last record is record ${seq}, ${event}). This is a record in progress, not the final record.`,
  abortedNotice: (reason) => `The ceremony was aborted: ${reason}`,
  step: 'Step',
  field: 'Field',
  value: 'Value',

  role: 'Role',
  roleTitle: 'Description',
  minimum: 'At least',
  conflictsWith: 'May not also be',
  performs: 'Performs steps',
  witnesses: 'Witnesses steps',
  conflictRule: 'One person may not hold two conflicting roles, and no one may witness a step they perform.',
  participants: 'Participants',
  participant: 'Participant',
  participantId: 'Id',
  roles: 'Roles',
  signedIn: 'Signed in',
  signedOff: 'Signed off',
  defaultRoleTitles: {
    administrator: 'Administrator: operates the HSM',
    witness: 'Witness: watches each sensitive step',
    custodian: 'Custodian: holds a share of a PIN',
    auditor: 'Auditor: observes the ceremony for the audit',
    officer: 'Security officer',
  },
  untitledRole: (id) => `role id "${id}"`,

  hsmModule: 'HSM module',
  modulePath: 'PKCS#11 module',
  manufacturer: 'Manufacturer',
  moduleDescription: 'Module description',
  libraryVersion: 'Library version',
  cryptokiVersion: 'Cryptoki version',
  hsmProfile: 'HSM profile',
  profileDescription: 'Profile description',
  profileDescriptionText: (description) => description,
  tokens: 'Tokens',
  token: 'Token',
  label: 'Label',
  serial: 'Serial number',
  model: 'Model',
  firmware: 'Firmware',
  stateAtOpening: 'At the opening',
  present: 'present',
  credentials: 'Credentials (PINs split among custodians)',
  credential: 'Credential',
  pinType: 'PIN',
  pinUser: 'user (CKU_USER)',
  pinSo: 'security officer (CKU_SO)',
  kekCredential: 'key-encryption key for key backup (not a PIN)',
  kekLength: '256 bits, random; never written anywhere',
  custodianRole: 'Custodians (role)',
  pinLength: 'PIN length',
  pinLengthValue: (length) => `${length} characters, random`,
  declaredKeys: 'Keys from earlier ceremonies',
  algorithm: 'Algorithm',
  keyBackup: 'Backup',
  backupEnabled:
    'can be backed up (backup: true): extractable, but only wrapped under a key the security officer marked trusted (CKA_WRAP_WITH_TRUSTED); this gives up never-extractable (CKA_NEVER_EXTRACTABLE false)',
  backupNever: 'cannot be backed up: never extractable (CKA_NEVER_EXTRACTABLE)',
  inputs: 'Files brought to the ceremony',
  input: 'Input',
  kind: 'Kind',
  fileKinds: {
    csr: 'certificate signing request',
    certificate: 'certificate',
    crl: 'CRL',
    'share-manifest': 'share set manifest',
    acceptance: 'acceptance',
    'key-backup': 'key backup',
    'certificate-chain': 'certificate chain',
    'audit-key': 'audit key',
    ledger: 'CA ledger',
    'serial-list': 'serial number list',
  },
  expectedSha256: 'Expected SHA-256',
  sha256: 'SHA-256',
  bytes: 'Bytes',
  shareSets: 'Share sets',
  setId: 'Set',
  custodians: 'Custodians',
  manifest: 'Manifest',
  materialsIntro:
    "Each PIN is random and stored only as shares: a quorum of custodians must enter theirs to unlock the token. At unlock the PIN is rebuilt in the terminal's memory, used to log in, and wiped. PINs and shares never appear in the journal or in this document.",
  materialsIntroKek:
    "A key-encryption key (KEK) is likewise random and stored only as shares: when it is loaded, a quorum of its recovery custodians enters theirs, the KEK is rebuilt in the terminal's memory, put on the token as a session object, and wiped from memory.",

  stepId: 'Step id',
  stepType: 'Type',
  sensitive: 'Sensitive',
  sensitiveYes:
    'yes: multiple person control (多人控管): the performer and the witnesses act under different participant ids (identities are checked on paper, on the attendance sheet)',
  sensitiveNo: 'no',
  performedByRole: 'Performed by (role)',
  witnessedByRole: 'Witnessed by (role)',
  witnessRole: (role, count) => (count > 1 ? `${role} × ${count}` : role),
  webtrustCriteria: 'WebTrust criteria',
  instructions: 'Instructions',
  statement: 'Statement confirmed',
  fields: 'Fields to record',
  fieldOptional: 'optional',
  fieldFormat: (format, example) => `format ${format}, e.g. ${example}`,
  soCredential: 'Security officer PIN',
  userCredential: 'User PIN',
  key: 'Key',
  subject: 'Subject',
  hash: 'Hash',
  output: 'Output file',
  profile: 'Certificate profile',
  validity: 'Validity',
  validityYears: (years) => `${years} years`,
  issuer: 'Issuer certificate',
  csr: 'Certificate request',
  csrKey: 'Key the request must carry',
  certificate: 'Certificate',
  chain: 'Chain',
  nextUpdate: 'Next update',
  nextUpdateDays: (days) => `${days} days`,
  revoked: 'Revoked',
  ledgerOpening: "Ledger opened from the key's history",
  ledgerOpeningDeclared: (lastCrlNumber, list) =>
    `last CRL number ${lastCrlNumber} (this CRL: one more); serials issued before: input ${list} (its count and SHA-256 are shown at the step and read aloud)`,
  newThreshold: 'New threshold',
  lockAll: 'every unlocked token',
  doneBlank: 'Done (time, initials)',
  stepStatus: 'Status',
  stepStatuses: {
    completed: 'completed',
    failed: 'failed',
    'in-progress': 'started, not completed',
    'not-reached': 'not reached',
    stopped: 'not completed: the ceremony ended first',
  },
  performedBy: 'Performed by',
  witnessedBy: 'Witnessed by',
  approvedBy: 'Approved by',
  valuesRecorded: 'Values recorded',
  sharesHandedOver: 'Shares handed over',
  sharesEntered: 'Shares entered',
  shareEntered: (custodian, index, setId) => `${custodian}: share ${index} of set ${setId}`,
  loggedIn: (token, userType, credential, setId) => `token ${token} logged in as ${userType} with ${credential} (set ${setId})`,
  session: 'Login',
  lockedTokens: 'Tokens locked',
  loggedInTokens: 'tokens logged in',
  destroyedKeys: 'Keys destroyed',
  keys: 'Keys',
  outputs: 'Files written',
  details: 'Other facts recorded',
  preparedFacts: 'Shown before approval',
  signedOffBy: 'Signed off',
  eventsInStep: 'Events during this step',
  notRecorded: 'not recorded',
  script: 'The script',
  record: 'The record',

  deviationsPlan:
    "Any deviation from this script is written down when it happens, at any step, by a witness (an exception); breaks are recorded as pauses, and continuing needs two people. The record lists here every exception, pause, refusal, failure, interruption and abort, and every sign-off that says the script was not followed, with its time and the people concerned; the ordinary course of a step (its start, approval and completion) is in the step's own record.",
  deviationsNone: 'No exception, pause, refusal, failure, interruption or abort was recorded, and no sign-off says the script was not followed.',
  deviationsIntro:
    "Every exception, pause, refusal, failure, interruption and abort the journal recorded, and every sign-off that says the script was not followed, in order. The ordinary course of a step (its start, approval and completion) is in the step's own record, not here.",
  deviationsCount: (count) => `Off the script, ${count} in all:`,
  deviationKinds: {
    interrupted: 'Interrupted',
    crashed: 'Crash (the process ended with no orderly stop)',
    'shares-voided': 'Share cards void (custodians destroy them)',
    'share-refused': 'Share refused',
    failed: 'Step failed',
    paused: 'Paused',
    exception: 'Exception recorded',
    aborted: 'Aborted',
    'not-followed': 'Sign-off: script not followed',
  },
  crashDetail: (record) => `last record written before it ended: ${record}`,
  otherEventsIntro:
    'Other records of the course that are not deviations themselves (resumes, process restarts, logins again, reconciliation, people joining), listed and not counted:',
  time: 'Time',
  event: 'Event',
  who: 'Who',
  incidentKinds: {
    exception: 'Exception recorded',
    paused: 'Paused',
    continued: 'Continued',
    refused: 'Refused',
    'share-refused': 'Share refused',
    failed: 'Failed',
    retried: 'Retry approved',
    interrupted: 'Interrupted',
    resumed: 'Resumed',
    restarted: 'Process restarted (logins and typed shares lost)',
    relogin: 'Token logged in again',
    reconciled: 'Reconciled with the journal',
    'unrecorded-key': 'Key found that the journal did not record',
    'key-absent': 'Token checked after the restart: the key is not there, the step runs again',
    'unrecorded-output': 'File found that the journal did not record',
    'shares-discarded': 'Shares discarded',
    aborted: 'Aborted',
    'not-followed': 'Sign-off: script not followed',
    joined: 'Joined after the sign-in, confirmed by two',
    'resume-refused': 'Resume refused',
    other: 'Other event',
  },
  incidentLabels: {
    reason: 'reason',
    text: 'text',
    code: 'code',
    message: 'message',
    hint: 'hint',
    note: 'note',
    event: 'event',
    pausedFor: 'paused for',
    signal: 'signal',
    created: 'created so far',
    followedScriptNo: 'said the ceremony did not follow the script',
  },
  incidentFields: {
    stoppedBy: 'stopped by',
    confirmedBy: 'confirmed by',
    loginsLost: 'token logins lost',
    sharesLost: 'shares entered before, to enter again',
    snapshotSeq: 'saved state at record',
    journalSeq: 'journal ends at record',
    tornTail: 'torn last line removed',
    restoredLineEnd: 'line end restored',
    staleLock: 'lock left by a stopped process',
    pid: 'process id',
    host: 'host',
    since: 'since',
    process: 'process',
    coreLimit: 'core dump limit',
    soft: 'soft',
    hard: 'hard',
    corePattern: 'core pattern',
    ptraceScope: 'ptrace scope',
    swap: 'swap',
    areas: 'areas',
    usedKiB: 'used (KiB)',
    tool: 'tool',
    name: 'name',
    version: 'version',
    sha256: 'SHA-256',
    release: 'release',
    from: 'adopted from',
    seq: 'record',
    index: 'step number',
    participant: 'participant',
    roles: 'roles',
    decision: 'decision',
    movedTo: 'moved to',
    token: 'token',
    session: 'login',
    userType: 'user type',
    credential: 'credential',
    setId: 'share set',
    step: 'step',
    sets: 'share sets',
    allowFinalTry: 'final try allowed',
    label: 'label',
    result: 'result',
  },
  journalNotes: {
    interrupted: 'stopped on request; HSM sessions logged out; resume with keyceremony resume',
    reconciledFromHsm: 'made just before the restart and never recorded; the witnesses adopted it (see the unrecorded key)',
    reconciledFromJournal: 'completed before the restart; adopted from its journal record, not repeated',
    signOffFromJournal: 'signed off before the restart; adopted from its journal record, not asked again',
    outputMovedAside: 'written just before the interruption and never recorded; moved aside, the step runs again',
    backupAdopted: 'a backup file written just before the interruption and never recorded; the witnesses adopted it',
    sharesDiscarded: 'the process stopped before the token was set; custodians destroy these shares',
  },
  engineValues: {
    [SIGNAL_UNKNOWN]: 'unknown (no signal, no one named)',
    [SIGNAL_AT_TERMINAL]: 'none: stopped at the terminal',
    adopt: 'adopted',
    hsm: 'the object on the token',
    journal: 'its journal record',
    user: 'user',
    so: 'security officer (SO)',
    true: 'yes',
    false: 'no',
  },

  keysToGenerate: 'Keys to be generated',
  outputsToWrite: 'Files to be written',
  fingerprintsPlan: 'At the ceremony each key and file is fingerprinted (SHA-256) and read aloud as hex and as PGP words; the record lists them here.',
  spkiSha256: 'Public key (SPKI) SHA-256',
  detailLabels: {
    certificateSha256: 'Certificate SHA-256',
    // The request's own hash (its DER encoding), not the PEM file's: the file's SHA-256 is the
    // one read aloud and typed back, in the files table (round 18: two "CSR SHA-256" per step).
    requestSha256: "CSR SHA-256 (DER encoding; the file's SHA-256, read aloud, is in the table below)",
    issuer: 'Issuer',
    subject: 'Subject',
    serial: 'Serial number',
    notBefore: 'Not before',
    notAfter: 'Not after',
    lintsPassed: 'Lints passed',
    number: 'CRL number',
    opened: "Ledger opened from the key's history",
    lastCrlNumber: 'last CRL number declared',
    issuedSerials: 'serials issued before',
    issuedSerialsSha256: 'serial list SHA-256',
    revoked: 'Revoked certificates',
    newlyRevoked: 'of them revoked by this CRL (the rest carried forward)',
    // The ledger anchor on the token (issue 17; docs/ledger-format.md).
    ledgerAnchor: 'Ledger anchor on the token',
    kept: 'Kept on the token',
    verdict: 'Ledger against the anchor',
    read: 'Anchor read before signing',
    written: 'Anchor written after signing',
    seq: 'Last entry (seq)',
    headSha256: 'Last entry SHA-256',
    previous: 'Where the ledger ended before',
    writtenBy: 'Written by',
    journal: 'Journal (record 1 SHA-256)',
    ledgerOpening: "Ledger opened from the key's history",
    thisUpdate: 'This update',
    replaces: 'Replaces share set',
    words: 'PGP words',
    auditKey: 'Audit key (journal checkpoints)',
    type: 'Type',
    bits: 'Size (bits)',
    credential: 'Credential',
    setId: 'Share set',
    output: 'Output file',
    decision: 'Decision',
    key: 'Key',
    destroyNotBefore: 'Not to be destroyed before',
    beforeNotBeforeBy: 'Destroyed before that, on the exceptions recorded by',
    // Key backup and restore (issue 18).
    label: 'Key label',
    id: 'CKA_ID',
    algorithm: 'Algorithm',
    spkiSha256: 'Public key (SPKI) SHA-256',
    mechanism: 'Wrapping mechanism',
    kek: 'Key-encryption key',
    source: 'Backed up from',
    wrappedBytes: 'Wrapped key (bytes)',
    kekDestroyed: 'Session KEK destroyed',
    kekBits: 'Key-encryption key (bits)',
    from: 'Backup file',
    fileSha256: 'Backup file SHA-256',
    spkiMatchesHeader: "Restored public key = the backup header's",
    testSignatureVerified: 'Test signature verified',
    sensitive: 'CKA_SENSITIVE',
    extractable: 'CKA_EXTRACTABLE',
    wrapWithTrusted: 'CKA_WRAP_WITH_TRUSTED',
    early: 'Before the earliest destruction time',
    inspectedAt: 'Inspected at',
    token: 'Token',
    // confirm-result: what was confirmed (issue 16).
    of: 'Result of step',
    what: 'What',
    name: 'Name',
    sha256: 'SHA-256',
    // create-csr and the other signing steps: how the HSM signed.
    signedWith: 'Signed with',
    // record: the serials the tokens reported, shown before the values were typed.
    tokenSerials: 'Serials the tokens report',
    hash: 'Hash',
    hashedBy: 'Hashed by',
    // Shown before approval (the prepared facts of the signing steps).
    csrSha256: 'CSR SHA-256',
    csrWords: 'CSR PGP words',
    proofOfPossession: 'Proof of possession',
    profile: 'Profile',
    extensions: 'Extensions',
    request: 'Request',
    ledger: 'CA ledger',
    to: 'New ledger file',
    // A key-encryption key as loaded.
    trusted: 'CKA_TRUSTED',
    sessionObject: 'Session object',
    verifier: 'Verifier',
    // accept-certificate's checks before approval, and where a restored key's backup came from.
    uri: 'PKCS#11 URI',
    certificate: 'Certificate',
    checks: 'Check',
    check: 'Check',
    ok: 'Passed',
    message: 'Result',
    ceremony: 'Ceremony',
    step: 'Step',
    time: 'Time',
  },
  detailValues: {
    what: {
      key: 'key',
      file: 'file',
      'subordinate CA certificate': 'subordinate CA certificate',
      'self-signed root certificate': 'self-signed root certificate',
      'link certificate': 'link certificate',
    },
    hashedBy: { token: 'the token', node: 'keyceremony, before the token signs' },
    issuer: { 'the same (self-signed)': 'the subject itself (self-signed)' },
    proofOfPossession: { 'the request signature verifies with its own key': 'the request signature verifies with its own key' },
  },
  provenGone: 'After destruction, no object of this key was found on this token. This does not show that no copy exists elsewhere (backups, other tokens).',
  provenGoneCopies: (copies) =>
    copies.length === 0
      ? "Backups and copies of this key in this record's key inventory: none (backups and copies made in other ceremonies are in their records; the keyceremony history command reads them together)."
      : `Backups and copies of this key in this record's key inventory, not destroyed by this step: ${copies.join('; ')}.`,
  keyInventory: 'Key inventory',
  keyInventoryIntro:
    "Each key this record names, each place it is held at the end of the ceremony (a token, or a backup file with its SHA-256), how it came there and what became of it. Only this ceremony's journal is read: copies and backups made in other ceremonies are in their records (the keyceremony history command reads them together).",
  heldIn: 'Held in',
  cameBy: 'How it came there',
  atTheEnd: 'At the end of the ceremony',
  inventoryToken: (token) => `token ${token}`,
  inventoryBackupFile: (name) => `backup file ${name}`,
  inventoryGenerated: (step) => `generated in ${step}`,
  inventoryRestored: (step, from) => `restored in ${step}${from ? ` from backup file ${from}` : ''}`,
  inventoryDeclared: 'made by an earlier ceremony (declared in the definition)',
  inventoryBackupMade: (step, kekSet) => `written in ${step}, wrapped under the key-encryption key${kekSet ? ` of share set ${kekSet}` : ''}`,
  inventoryBackupBrought: 'brought to the ceremony (input)',
  inventoryOnToken: 'on the token',
  inventoryDestroyed: (step) => `destroyed in ${step}: no object of the key found on this token afterwards`,
  inventoryFileKept: 'a file: keyceremony does not destroy files; its custody is on paper',
  keyAttributes: 'Private key attributes read back from the token after generation',
  keyAttributesMeaning: (a) => {
    const said = [
      a.local === true ? 'the key was generated on it (LOCAL yes)' : a.local === false ? 'the key was not generated on it (LOCAL no)' : undefined,
      a.alwaysSensitive === true
        ? 'it has never been readable in the clear (ALWAYS_SENSITIVE yes)'
        : a.alwaysSensitive === false
          ? 'it may have been readable in the clear at some time (ALWAYS_SENSITIVE no)'
          : undefined,
      a.neverExtractable === true
        ? 'it has never been exportable (NEVER_EXTRACTABLE yes)'
        : a.neverExtractable === false && a.extractable === true && a.wrapWithTrusted === true
          ? 'it can leave the token, for backup, only wrapped under a key marked trusted (EXTRACTABLE yes, WRAP_WITH_TRUSTED yes), so it is not never-extractable (NEVER_EXTRACTABLE no)'
          : a.neverExtractable === false && a.extractable === true
            ? 'it can be exported wrapped under any wrapping key the token holds (EXTRACTABLE yes, WRAP_WITH_TRUSTED no)'
            : a.neverExtractable === false
              ? 'it cannot be exported now but could have been before (NEVER_EXTRACTABLE no)'
              : undefined,
    ].filter((part): part is string => part !== undefined);
    const account =
      said.length === 0 ? '' : ` By the token's own account, ${said.length === 1 ? said[0]! : `${said.slice(0, -1).join('; ')}; and ${said.at(-1)!}`}.`;
    return `These are the values the token reports (PKCS#11 C_GetAttributeValue).${account} They are not independent proof, which rests on the HSM's certification.`;
  },
  keyAttributesNotRead: 'private key attributes not read back',
  certificateOnToken: (label, id, token, alreadyThere) =>
    `certificate stored on token ${token} as certificate object "${label}", CKA_ID ${id} (the key's)${alreadyThere ? '; it was there already' : ''}`,
  toolRelease: 'Release (bundle hash)',
  toolReleaseInstalled: (selfCheck) => `installed release; self-check at the start: ${selfCheck}`,
  toolReleaseCheckout: 'not an installed release (a git checkout): no bundle hash',
  file: 'File',
  noKeys: 'No key is generated or adopted.',
  noOutputs: 'No file is written.',

  criterion: 'Criterion',
  requirement: 'Requirement',
  wherePlan: 'Where the script covers it',
  whereReport: 'Where the record shows it',
  notCovered: 'NOT COVERED: no step of the script is tagged for this criterion',
  stepsCompleted: (done, total) => `${done} of ${total} steps completed, each with its start and end time`,
  sensitiveDone: (done, total) => `${done} of ${total} sensitive steps completed by a performer with a witness`,
  participantsSignedIn: (count, time) => `${count} participants signed in with their roles at ${time}`,
  materialsSummary: (tokens, shareSets) => `HSM module, ${counted('en', tokens, 'token')} with serial numbers, ${counted('en', shareSets, 'share set')}`,
  signOffSummary: (signed, total, notFollowed) =>
    `${signed} of ${total} participants signed off at the terminal (recorded at the terminal; the handwritten signatures are on paper)${notFollowed > 0 ? `; ${notFollowed} said the ceremony did NOT follow the script` : ''}`,
  incidentsSummary: (exceptions, all) =>
    `${counted('en', exceptions, 'exception')} recorded; ${counted('en', all, 'event')} listed in all (exceptions, pauses, refusals, failures, interruptions, aborts, sign-offs saying the script was not followed)`,
  quorumEntered: 'shares entered by',
  criteriaGaps: (letters) =>
    `No step of the script is tagged with WebTrust criteria ${letters}: the auditor needs other evidence for them, or the script needs steps that cover them.`,
  criteriaKinds: {
    'key-generation': 'CA key generation (BR 6.1.1.1, WebTrust key generation script)',
    'key-storage': 'CA key storage, backup and recovery',
    'key-distribution': 'CA public key distribution (certificate acceptance)',
    'key-usage': 'CA key usage (certificate and CRL issuance)',
    'key-destruction': 'CA key destruction',
    'activation-data': 'Activation data and custodian changes',
  },
  criteriaKindsIntro: (kinds, others) =>
    `The criteria below are those of the kinds of work this ceremony's steps do: ${kinds}.${others === '' ? '' : ` Criteria of other kinds (${others}) do not apply to this ceremony and are not listed.`}`,
  noCriteriaKinds: 'No step of this ceremony generates, stores, uses or destroys a CA key, or changes activation data: no audit criteria table applies.',
  notInCeremony: 'NOT COVERED by this ceremony: no step of it does this; show it with other evidence',
  scriptIncludes: 'Script includes',
  noTaggedStep: 'no step tagged for this criterion',
  recordShows: 'Record shows',
  witnessNotShown: "NOT SHOWN: neither the Qualified Auditor's name, firm and attendance nor a video reference is recorded",
  witnessNotDeclared:
    "NOT COVERED: the script records neither the Qualified Auditor's name, firm and attendance nor a video reference (record fields tagged auditor-* or video-*)",
  auditorSignedIn: 'Auditor role signed in at the terminal',
  outsideRecordReport: "Outside this record: the Qualified Auditor's own report, which this record is evidence for",
  paperEnvironment: 'On paper: the physical security of the room (access log, room checks); the terminal records only what was typed',
  paperControls: "On paper: the CA's controls under its CP/CPS, assessed by the auditor; this record shows the steps and the journal",
  approvalTypedOnly: 'A typed reference only: no approver, date or script hash is recorded',
  destructionCopies: 'This record shows only that the token no longer holds the key; backups and copies are listed in the key inventory',
  evidenceKinds: {
    'video-file': 'Video file',
    'video-sha256': 'Video SHA-256',
    'video-cameras': 'Cameras',
    'video-start': 'Video start',
    'video-stop': 'Video stop',
    'auditor-name': 'Qualified Auditor',
    'auditor-firm': 'Audit firm',
    'auditor-attendance': "Auditor's attendance",
    'auditor-independence': "Auditor's independence statement",
    'attendance-sheet': 'Attendance sheet',
    'id-check': 'Identity documents checked',
    'hsm-serial': 'HSM serial',
    'hsm-asset-register': 'Asset register entry',
    'hsm-certificate': 'FIPS 140 or Common Criteria certificate',
    'hsm-firmware': 'HSM firmware',
    'hsm-vendor-firmware': "Vendor's published firmware",
    'bag-numbers': 'Tamper-evident bag numbers',
    'envelope-numbers': 'Share envelope numbers',
    'storage-place': 'Storage place',
    'key-inventory-before': 'Keys on the token before',
    'key-inventory-after': 'Keys on the token after',
  },

  journalFile: 'Journal file',
  records: 'Records',
  firstRecord: 'First record',
  lastRecord: 'Last record',
  journalEvents: {
    [JOURNAL_EVENTS.opened]: 'ceremony opened',
    [JOURNAL_EVENTS.sealed]: 'journal sealed',
    [JOURNAL_EVENTS.stepStarted]: 'step started',
    [JOURNAL_EVENTS.stepPrepared]: 'step prepared',
    [JOURNAL_EVENTS.stepApproved]: 'step approved',
    [JOURNAL_EVENTS.stepCompleted]: 'step completed',
    [JOURNAL_EVENTS.stepFailed]: 'step failed',
    [JOURNAL_EVENTS.stepRetried]: 'step retried',
    [JOURNAL_EVENTS.stepReconciled]: 'step reconciled',
    [JOURNAL_EVENTS.participantsSignedIn]: 'participants signed in',
    [JOURNAL_EVENTS.participantsJoined]: 'participant joined',
    [JOURNAL_EVENTS.participantSignedOff]: 'participant signed off',
    [JOURNAL_EVENTS.sharesPrepared]: 'shares prepared',
    [JOURNAL_EVENTS.shareHandedOver]: 'share handed over',
    [JOURNAL_EVENTS.shareAccepted]: 'share accepted',
    [JOURNAL_EVENTS.shareRefused]: 'share refused',
    [JOURNAL_EVENTS.sharesDiscarded]: 'shares discarded',
    [JOURNAL_EVENTS.eventRefused]: 'action refused',
    [JOURNAL_EVENTS.exceptionRecorded]: 'exception recorded',
    [JOURNAL_EVENTS.paused]: 'ceremony paused',
    [JOURNAL_EVENTS.continued]: 'ceremony continued',
    [JOURNAL_EVENTS.interrupted]: 'ceremony interrupted',
    [JOURNAL_EVENTS.resumed]: 'ceremony resumed',
    [JOURNAL_EVENTS.restarted]: 'ceremony restarted',
    [JOURNAL_EVENTS.aborted]: 'ceremony aborted',
    [JOURNAL_EVENTS.resumeRefused]: 'resume refused',
    [JOURNAL_EVENTS.hsmRelogin]: 'HSM login again',
    [JOURNAL_EVENTS.hsmUnrecordedKey]: 'unrecorded key on the HSM',
    [JOURNAL_EVENTS.hsmKeyAbsent]: 'key not on the HSM after the restart',
    [JOURNAL_EVENTS.outputUnrecorded]: 'unrecorded output file',
    [JOURNAL_EVENTS.checkpoint]: 'journal checkpoint',
  },
  sealedAt: (seq, status) => `sealed at record ${seq} (${status})`,
  notSealed: 'not sealed',
  finalHash: 'Final journal hash (SHA-256)',
  finalWords: 'Final journal hash (PGP words)',
  journalVerified: (count) => `verified before this record was made: ${count} records, none changed, missing, duplicated or reordered`,
  journalHeadChecked: (seq) => `matches state.json (record ${seq})`,
  journalHeadNotChecked: 'not checked: there is no state.json with a journal head',
  journalHead: 'Journal head',
  journalPlan:
    'At the end of the ceremony the journal is sealed, and the hash of its last record is read aloud as hex and as PGP words. Write it here and on the paper log:',
  verifyCommand: 'Check it again',
  checkpointsTitle: 'Checkpoints signed in the HSM',
  checkpointsNone: 'No checkpoint signed in the HSM: every record is covered only by the final hash on the paper log.',
  checkpointColumns: ['Checkpoint record', 'Signs record', 'Token', 'Audit key (SPKI SHA-256)', 'Time', 'Signature'],
  checkpointVerified: 'verified',
  checkpointNotChecked: 'not checked: no audit public key with this SPKI SHA-256 was found (keyceremony report --audit-key)',
  checkpointKeysGiven: 'The audit public keys were given with --audit-key.',
  checkpointKeysWorkdir:
    "The audit public keys were read from the workdir, which anyone with the terminal's account can change: compare their SPKI SHA-256 with the one the token's init-token ceremony recorded, or check again with --audit-key.",
  checkpointsLimit: (covered, last) =>
    covered === undefined
      ? `No checkpoint was verified: every record is covered only by the final hash on the paper log.`
      : `A verified checkpoint shows that records 1 to ${covered} are the ones the token's audit key signed: rewriting them needs the token and a quorum of its custodians. It does not cover ${covered + 1 > last ? 'the records after it' : `records ${covered + 1} to ${last}`}: they are covered only by the final hash on the paper log. A crash makes no checkpoint.`,

  signOffStatementPlan: 'By signing, each participant states whether the ceremony followed this script, and notes any deviation.',
  signOffStatementReport: (sha, words) =>
    `By signing, I confirm that this record is true to the ceremony I took part in or observed, that the ceremony ran the script with definition SHA-256 ${sha}, and that the journal ends with the hash read aloud as: ${words}.`,
  name: 'Name',
  signature: 'Signature',
  signDate: 'Date',
  organisation: 'Organisation',
  auditor: 'Auditor',
  recordedSignOff: 'Recorded at sign-off',
  followedScript: 'the ceremony followed the script',
  notFollowedScript: 'the ceremony did NOT follow the script',
  roleSlot: (role, n, of) => (of > 1 ? `${role} (${n} of ${of})` : role),
};

const zhTW: Messages = {
  htmlLang: 'zh-Hant-TW',
  none: '—',
  yes: '是',
  no: '否',
  listSeparator: '、',
  listComma: '，',
  colon: '：',
  aside: (text, aside) => `${text}（${aside}）`,
  comma: '，',
  noticeLabels: { info: '說明', warning: '注意' },
  contents: '目錄',
  sections: {
    ceremony: '儀式概要',
    roles: '角色與參與人員',
    materials: '密碼硬體與啟用資料',
    steps: '作業步驟',
    deviations: '異常與偏離事項',
    fingerprints: '金鑰與檔案指紋',
    criteria: '稽核準則對照（依本儀式之工作類別）',
    journal: '日誌',
    'sign-off': '簽署確認',
    glossary: '名詞解釋',
  },
  planTitle: (title, kind) => `${ZH_KIND[kind]}儀式腳本：${title}`,
  toolPinned: (hex, words) =>
    `工具：本腳本僅能由套件雜湊值為 ${hex}（${words}）之 keyceremony 發行版執行。儀式前，於儀式終端機執行 keyceremony self-check 所顯示之值須與此相同；其他發行版、經修改之發行版及 git 取出版本，run 一律拒絕。`,
  toolNotPinned:
    '工具：本腳本未指定 keyceremony 發行版（定義檔無 tool.sha256），任何 keyceremony 均可執行。請將 keyceremony self-check 顯示之套件雜湊值寫入核定之腳本，或於定義檔中指定。',
  reportTitle: (title, kind) => `${ZH_KIND[kind]}儀式紀錄：${title}`,
  planIntro:
    '本文件為金鑰產製腳本，應於儀式前審查核准。keyceremony 完全依此定義執行，其 SHA-256 記載於日誌。儀式紀錄（keyceremony report）採用相同的章節與步驟編號，可與本腳本逐項對照。',
  reportIntroApproved: (approvedBy, reference) =>
    `本文件為金鑰產製儀式紀錄，於驗證雜湊鏈日誌無誤後由日誌產生。章節與步驟編號與日誌所載定義檔 SHA-256 之腳本（keyceremony plan）相同；簽到前，日誌已記錄該腳本經 ${approvedBy} 核准（文號 ${reference}），親筆簽名見紙本核准單。`,
  approval: '腳本核准',
  confirmsResultOf: '確認其結果之步驟',
  approvedStart: '核可開始（見證人）',
  confirmedResult: '確認結果',
  resultNotConfirmed: '未確認：無見證人回輸此結果之指紋（無 confirm-result 步驟）',
  approvalRecorded: (approvedBy, reference, typed) => `核准人 ${approvedBy}，文號 ${reference}；核准單所載定義檔 SHA-256 ${typed}… 相符（於簽到前記錄）`,
  approvalNotRecorded: '未記錄：日誌中沒有腳本之核准',
  approvalBlock: '本腳本之核准',
  approvalStatement: '本人核准本金鑰儀式腳本用於本次儀式。腳本即下列 SHA-256 之定義檔；其他版本須另行核准。',
  approver: '核准人',
  approverRole: '職稱',
  approvalHowToRecord:
    '儀式時於簽到前記錄核准：keyceremony run … --approved-by <核准人> --approval <文號> --approved-sha256 <上列雜湊值至少前 16 位十六進位數字>。核准單所載 SHA-256 不符者，run 將拒絕執行。',
  reportIntro:
    '本文件為金鑰產製儀式紀錄，於驗證雜湊鏈日誌無誤後由日誌產生。章節與步驟編號與日誌所載定義檔 SHA-256 之腳本（keyceremony plan）相同；本紀錄不顯示該腳本之核准人。',
  stepHeading: (number, title) => `步驟 ${number}・${title}`,
  stepRef: (number, id) => `步驟 ${number}（${id}）`,
  stepCount: (steps, sensitive) => `共 ${steps} 個步驟，其中 ${sensitive} 個為機敏步驟（以不同參與人員代號執行及見證；身分於紙本簽到表查核）`,
  threshold: (threshold, count) => `${count ?? '?'} 份中需 ${threshold ?? '?'} 份`,
  quorumsChecked: (count) => `發放前已逐一組合並驗證全部 ${count} 種門檻組合`,
  times: (count) => `× ${count}`,
  footer: (kind, ceremony, sha, tool) => `${ceremony}・${kind === 'plan' ? '腳本' : '紀錄'}・定義檔 SHA-256 ${sha}・${tool}`,

  ceremonyId: '儀式代號',
  title: '名稱',
  description: '說明',
  definitionFile: '定義檔',
  definitionSha256: '定義檔 SHA-256',
  steps: '步驟',
  recordedAtCeremony: '儀式中記錄',
  recordedValues: '所記錄之資料（日期、地點等）',
  auditEvidence: '稽核佐證',
  auditEvidenceIntro:
    '腳本宣告為稽核佐證之項目（標示 evidence 之紀錄欄位），依日誌所記錄者列出。文件本身（錄影、簽到表、財產登記）見紙本或佐證保管處；本紀錄僅載其輸入之參照。',
  evidenceGroup: '佐證',
  evidenceItem: '項目',
  evidenceNotDeclared: '未宣告：腳本無此欄位',
  evidenceGroups: {
    video: '儀式錄影',
    auditor: '合格稽核人員',
    attendance: '出席',
    'hsm-inventory': '硬體安全模組清點',
    register: '封袋及信封登記',
    'key-inventory': '載具金鑰清點',
  },
  status: '狀態',
  statusCompleted: '已完成並封存',
  statusAborted: '已中止並封存',
  statusOpen: '尚未結束：日誌未封存',
  date: '日期',
  started: '開始',
  ended: '結束',
  tool: '工具',
  toolSha256: '工具 SHA-256（工具自行計算 dist/ 與 package.json 之值，應與獨立計算之值比對；未涵蓋 Node.js、PKCS#11 函式庫及 node_modules）',
  node: 'Node.js',
  os: '作業系統',
  host: '主機名稱',
  timeZone: '時區',
  valueLabels: {
    text: '記錄之異常事項',
    'csr-sha256': '回輸之憑證申請檔 SHA-256',
    'spki-sha256': '回輸之公開金鑰 SHA-256',
    'result-sha256': '回輸之結果 SHA-256',
    label: '回輸之標籤',
    custodians: '保管人',
    decision: '決定',
    reason: '原因',
    'hsm-serial': '硬體安全模組序號',
  },
  noDeviationTyped: '無',
  tokenFactLabels: {
    'pinFlags.soPinCountLow': '安全管理者 PIN 碼：曾輸入錯誤',
    'pinFlags.soPinFinalTry': '安全管理者 PIN 碼：僅剩最後一次嘗試',
    'pinFlags.soPinLocked': '安全管理者 PIN 碼已鎖定',
    'pinFlags.userPinCountLow': '使用者 PIN 碼：曾輸入錯誤',
    'pinFlags.userPinFinalTry': '使用者 PIN 碼：僅剩最後一次嘗試',
    'pinFlags.userPinInitialized': '使用者 PIN 碼已設定',
    'pinFlags.userPinLocked': '使用者 PIN 碼已鎖定',
  },
  moduleDescriptions: { 'Implementation of PKCS11': 'PKCS#11 實作' },
  timeZoneDeclared: (zone) => `${zone}，本儀式之時區（定義檔之 timeZone）：本文件所有時間均以此時區顯示`,
  timeZoneNotDeclared: '定義檔未宣告：時間依終端機記錄之時區顯示',
  terminalTimeZone: '終端機時區',
  dryRun: '演練',
  dryRunNotice: '演練：本次使用標示為 dryRun 的 HSM 設定檔進行演練，並未產製正式金鑰。',
  softwareTokenNotice: (device) =>
    `軟體載具：本次正式儀式使用 ${device}，為軟體載具，不是硬體安全模組（run --allow-software-token）。所產製的金鑰是執行儀式之電腦上的檔案，從未存於硬體安全模組。`,
  softwareToken: '軟體載具',
  softwareTokenValue: (device) => `是：${device}，不是硬體安全模組`,
  answersFile: '腳本化回答檔',
  sealStatuses: { completed: '已完成', aborted: '已中止' },
  toBeInitialised: '將於本儀式初始化',
  openNotice: (seq, event) => `日誌尚未封存：儀式尚未結束（最後一筆紀錄為第 ${seq} 筆，${event}）。本文件為進行中的紀錄，並非最終紀錄。`,
  abortedNotice: (reason) => `儀式已中止：${reason}`,
  step: '步驟',
  field: '欄位',
  value: '內容',

  role: '角色',
  roleTitle: '說明',
  minimum: '最少人數',
  conflictsWith: '不得兼任',
  performs: '執行步驟',
  witnesses: '見證步驟',
  conflictRule: '同一人不得兼任互斥的角色，亦不得見證自己執行的步驟。',
  participants: '參與人員',
  participant: '參與人員',
  participantId: '代號',
  roles: '角色',
  signedIn: '簽到',
  signedOff: '簽署確認',
  defaultRoleTitles: {
    administrator: '管理人員：操作硬體安全模組',
    witness: '見證人：見證每一個機敏步驟',
    custodian: '保管人：保管分持碼',
    auditor: '稽核人員：為稽核觀察儀式',
    officer: '安全管理人員',
  },
  untitledRole: (id) => `角色代號「${id}」`,

  hsmModule: '硬體安全模組',
  modulePath: 'PKCS#11 模組',
  manufacturer: '製造商',
  moduleDescription: '模組說明',
  libraryVersion: '程式庫版本',
  cryptokiVersion: 'Cryptoki 版本',
  hsmProfile: 'HSM 設定檔',
  profileDescription: '設定檔說明',
  // The profile's author wrote it, often in English (round 18): the record quotes it and says so.
  profileDescriptionText: (description) => `「${description}」（HSM 設定檔作者所撰，照錄原文）`,
  tokens: '載具',
  token: '載具',
  label: '標籤',
  serial: '序號',
  model: '型號',
  firmware: '韌體',
  stateAtOpening: '儀式開始時',
  present: '已存在',
  credentials: '啟用資料（由保管人分持之 PIN 碼）',
  credential: '啟用資料',
  pinType: 'PIN 碼',
  pinUser: '使用者（CKU_USER）',
  pinSo: '安全管理者（CKU_SO）',
  kekCredential: '金鑰備份用的金鑰加密金鑰（非 PIN 碼）',
  kekLength: '256 位元隨機值；從不寫入任何地方',
  custodianRole: '保管人（角色）',
  pinLength: 'PIN 碼長度',
  pinLengthValue: (length) => `${length} 字元，隨機產生`,
  declaredKeys: '先前儀式產製之金鑰',
  algorithm: '演算法',
  keyBackup: '備份',
  backupEnabled:
    '可備份（backup: true）：可匯出，但只能以安全管理者標記為受信任的金鑰包裝（CKA_WRAP_WITH_TRUSTED）；因此不再是永不可匯出（CKA_NEVER_EXTRACTABLE 為 false）',
  backupNever: '不可備份：永不可匯出（CKA_NEVER_EXTRACTABLE）',
  inputs: '攜入儀式之檔案',
  input: '輸入檔案',
  kind: '種類',
  fileKinds: {
    csr: '憑證申請檔',
    certificate: '憑證',
    crl: '憑證廢止清冊',
    'share-manifest': '分持組清冊',
    acceptance: '驗收紀錄',
    'key-backup': '金鑰備份',
    'certificate-chain': '憑證串鏈',
    'audit-key': '稽核金鑰',
    ledger: '憑證管理帳冊',
    'serial-list': '序號清單',
  },
  expectedSha256: '預期 SHA-256',
  sha256: 'SHA-256',
  bytes: '位元組',
  shareSets: '分持組',
  setId: '分持組',
  custodians: '保管人',
  manifest: '清單檔',
  materialsIntro:
    '每一 PIN 碼皆隨機產生，僅以分持碼形式儲存：須由足額保管人各自輸入其分持碼，方能啟用載具。啟用時 PIN 碼於終端機記憶體中重組，用於登入後即清除。PIN 碼與分持碼從不出現於日誌或本文件。',
  materialsIntroKek:
    '金鑰加密金鑰（KEK）亦為隨機產生，僅以分持形式儲存：載入時須由足額之復原分持人各自輸入其分持，KEK 於終端機記憶體中重組，置入載具成為工作階段物件後，即自記憶體清除。',

  stepId: '步驟代號',
  stepType: '類型',
  sensitive: '機敏步驟',
  sensitiveYes: '是：多人控管，執行人與見證人以不同參與人員代號為之（身分於紙本簽到表查核）',
  sensitiveNo: '否',
  performedByRole: '執行人（角色）',
  witnessedByRole: '見證人（角色）',
  witnessRole: (role, count) => (count > 1 ? `${role} × ${count}` : role),
  webtrustCriteria: 'WebTrust 準則',
  instructions: '作業說明',
  statement: '確認事項',
  fields: '應記錄欄位',
  fieldOptional: '選填',
  fieldFormat: (format, example) => `格式為${format}，例如 ${example}`,
  soCredential: '安全管理者 PIN 碼',
  userCredential: '使用者 PIN 碼',
  key: '金鑰',
  subject: '主體名稱',
  hash: '雜湊演算法',
  output: '產出檔案',
  profile: '憑證格式',
  validity: '效期',
  validityYears: (years) => `${years} 年`,
  issuer: '簽發者憑證',
  csr: '憑證申請檔',
  csrKey: '申請檔應含之金鑰',
  certificate: '憑證',
  chain: '憑證串鏈',
  nextUpdate: '下次更新',
  nextUpdateDays: (days) => `${days} 天`,
  revoked: '廢止',
  ledgerOpening: '依金鑰既有紀錄開立之憑證管理帳冊',
  ledgerOpeningDeclared: (lastCrlNumber, list) =>
    `最後一個廢止清冊序號 ${lastCrlNumber}（本次廢止清冊序號為其加一）；先前簽發的序號：輸入檔 ${list}（其個數與 SHA-256 於本步驟顯示並朗讀）`,
  newThreshold: '新門檻',
  lockAll: '所有已啟用之載具',
  doneBlank: '完成（時間、簽名）',
  stepStatus: '狀態',
  stepStatuses: { completed: '已完成', failed: '失敗', 'in-progress': '已開始，未完成', 'not-reached': '未執行', stopped: '未完成：儀式已先結束' },
  performedBy: '執行人',
  witnessedBy: '見證人',
  approvedBy: '核可人',
  valuesRecorded: '所記錄之資料',
  sharesHandedOver: '分持碼交付',
  sharesEntered: '分持碼輸入',
  shareEntered: (custodian, index, setId) => `${custodian}：分持組 ${setId} 第 ${index} 份`,
  loggedIn: (token, userType, credential, setId) => `載具 ${token} 以 ${userType} 身分登入，使用 ${credential}（分持組 ${setId}）`,
  session: '登入',
  lockedTokens: '已關閉之載具',
  loggedInTokens: '已登入之載具',
  destroyedKeys: '已銷毀之金鑰',
  keys: '金鑰',
  outputs: '產出檔案',
  details: '其他記錄事項',
  preparedFacts: '核可前顯示事項',
  signedOffBy: '簽署確認',
  eventsInStep: '本步驟中之事件',
  notRecorded: '未記錄',
  script: '腳本',
  record: '紀錄',

  deviationsPlan:
    '任何偏離本腳本之情形，均由見證人於發生時記錄（異常事項），可於任何步驟為之；中途休息記錄為暫停，繼續須經兩人同意。儀式紀錄於此列出每一件異常、暫停、拒絕、失敗、中斷及中止，以及表示未依腳本執行之簽署確認，並註明時間與相關人員；步驟之正常進行（開始、核准及完成）載於該步驟本身之紀錄。',
  deviationsNone: '未記錄任何異常、暫停、拒絕、失敗、中斷或中止，亦無簽署確認表示未依腳本執行。',
  deviationsIntro:
    '日誌所記錄之每一件異常、暫停、拒絕、失敗、中斷及中止，以及表示未依腳本執行之簽署確認，依發生順序列出。步驟之正常進行（開始、核准及完成）載於該步驟本身之紀錄，不列於此。',
  deviationsCount: (count) => `未依腳本執行的事項，共 ${count} 項：`,
  deviationKinds: {
    interrupted: '中斷',
    crashed: '異常終止（程式未經正常停止即結束）',
    'shares-voided': '分持碼卡片作廢（保管人須銷毀）',
    'share-refused': '分持碼遭拒',
    failed: '步驟失敗',
    paused: '暫停',
    exception: '記錄異常事項',
    aborted: '中止',
    'not-followed': '簽署確認：未依腳本執行',
  },
  crashDetail: (record) => `結束前最後寫入之紀錄：${record}`,
  otherEventsIntro: '以下為進行過程中其他本身不屬異常之紀錄（續行、程式重新啟動、重新登入、核對、人員加入），僅列出，不計入：',
  time: '時間',
  event: '事件',
  who: '人員',
  incidentKinds: {
    exception: '記錄異常事項',
    paused: '暫停',
    continued: '繼續',
    refused: '遭拒',
    'share-refused': '分持碼遭拒',
    failed: '失敗',
    retried: '核可重試',
    interrupted: '中斷',
    resumed: '續行',
    restarted: '程式重新啟動（登入及已輸入之分持碼失效）',
    relogin: '載具重新登入',
    reconciled: '依日誌核對',
    'unrecorded-key': '發現日誌未記錄之金鑰',
    'key-absent': '重新啟動後已檢查載具：無此金鑰，本步驟將重新執行',
    'unrecorded-output': '發現日誌未記錄之檔案',
    'shares-discarded': '作廢分持',
    aborted: '中止',
    'not-followed': '簽署確認：未依腳本執行',
    joined: '簽到後加入，經兩人確認',
    'resume-refused': '續行遭拒',
    other: '其他事件',
  },
  incidentLabels: {
    reason: '原因',
    text: '內容',
    code: '錯誤碼',
    message: '訊息',
    hint: '建議',
    note: '附註',
    event: '事件',
    pausedFor: '暫停原因',
    signal: '訊號',
    created: '已產生',
    followedScriptNo: '表示儀式未依腳本執行',
  },
  incidentFields: {
    stoppedBy: '停止者',
    confirmedBy: '確認者',
    loginsLost: '已失效之載具登入',
    sharesLost: '先前已輸入、須重新輸入之分持碼份數',
    snapshotSeq: '已儲存狀態至紀錄',
    journalSeq: '日誌至紀錄',
    tornTail: '已移除之不完整末行',
    restoredLineEnd: '已補回行尾',
    staleLock: '已停止程序遺留之鎖定',
    pid: '程序代號',
    host: '主機',
    since: '起始時間',
    process: '程序',
    coreLimit: '核心傾印上限',
    soft: '軟性',
    hard: '硬性',
    corePattern: '核心傾印檔名樣式',
    ptraceScope: '程序追蹤範圍',
    swap: '置換空間',
    areas: '區域數',
    usedKiB: '已使用（KiB）',
    tool: '工具',
    name: '名稱',
    version: '版本',
    sha256: 'SHA-256',
    release: '發行版',
    from: '採用依據',
    seq: '紀錄',
    index: '步驟序號',
    participant: '參與人員',
    roles: '角色',
    decision: '決定',
    movedTo: '移至',
    token: '載具',
    session: '登入',
    userType: '使用者類型',
    credential: '啟用資料',
    setId: '分持組',
    step: '步驟',
    sets: '分持組',
    allowFinalTry: '允許最後一次嘗試',
    label: '標籤',
    result: '結果',
  },
  journalNotes: {
    interrupted: '應要求停止；硬體安全模組之登入已登出；以 keyceremony resume 續行',
    reconciledFromHsm: '於重新啟動前產製而未及記錄；經見證人決定採用（見未記錄之金鑰）',
    reconciledFromJournal: '已於重新啟動前完成；依其日誌紀錄採用，不再重做',
    signOffFromJournal: '已於重新啟動前簽署確認；依其日誌紀錄採用，不再詢問',
    outputMovedAside: '於中斷前寫入而未及記錄；已移至他處，本步驟重新執行',
    backupAdopted: '於中斷前寫入而未及記錄之備份檔；經見證人決定採用',
    sharesDiscarded: '程序於載具設定完成前停止；保管人應銷毀此批分持碼',
  },
  engineValues: {
    [SIGNAL_UNKNOWN]: '不明（無訊號，亦未記錄停止者）',
    [SIGNAL_AT_TERMINAL]: '無：於終端機上停止',
    adopt: '採用',
    hsm: '載具上之物件',
    journal: '其日誌紀錄',
    user: '使用者',
    so: '安全管理者（SO）',
    true: '是',
    false: '否',
  },

  keysToGenerate: '將產製之金鑰',
  outputsToWrite: '將產出之檔案',
  fingerprintsPlan: '儀式中每一把金鑰及每一個檔案皆計算指紋（SHA-256），並以十六進位及 PGP 字詞朗讀；本紀錄於此列出。',
  spkiSha256: '公開金鑰（SPKI）SHA-256',
  detailLabels: {
    certificateSha256: '憑證 SHA-256',
    requestSha256: '憑證申請檔 SHA-256（DER 編碼；朗讀之檔案 SHA-256 見下表）',
    issuer: '簽發者',
    subject: '主體',
    serial: '序號',
    notBefore: '有效期間起',
    notAfter: '有效期間迄',
    lintsPassed: '通過之檢核項目數',
    number: '憑證廢止清冊序號',
    opened: '依金鑰既有紀錄開立之憑證管理帳冊',
    lastCrlNumber: '申報之最後廢止清冊序號',
    issuedSerials: '先前簽發的序號個數',
    issuedSerialsSha256: '序號清單 SHA-256',
    revoked: '廢止憑證數',
    newlyRevoked: '其中本清冊新廢止者（其餘沿用先前清冊）',
    ledgerAnchor: '載具上之憑證管理帳冊錨點',
    kept: '保存於載具',
    verdict: '憑證管理帳冊與錨點比對',
    read: '簽署前讀取之錨點',
    written: '簽署後寫入之錨點',
    seq: '最後一筆（seq）',
    headSha256: '最後一筆 SHA-256',
    previous: '憑證管理帳冊先前之結尾',
    writtenBy: '寫入者',
    journal: '日誌（第 1 筆紀錄 SHA-256）',
    ledgerOpening: '依金鑰既有紀錄開立之憑證管理帳冊',
    thisUpdate: '本次更新時間',
    replaces: '取代之分持組',
    words: 'PGP 字詞',
    auditKey: '稽核金鑰（日誌查核點）',
    type: '類型',
    bits: '長度（位元）',
    credential: '啟用資料',
    setId: '分持組',
    output: '輸出檔',
    decision: '決定',
    key: '金鑰',
    destroyNotBefore: '最早銷毀時間',
    beforeNotBeforeBy: '提前銷毀，依下列人員記錄之異常事項',
    // 金鑰備份及還原（issue 18）。
    label: '金鑰標籤',
    id: 'CKA_ID',
    algorithm: '演算法',
    spkiSha256: '公開金鑰（SPKI）SHA-256',
    mechanism: '包裝機制',
    kek: '金鑰加密金鑰',
    source: '備份來源',
    wrappedBytes: '包裝後金鑰（位元組）',
    kekDestroyed: '連線中之金鑰加密金鑰已銷毀',
    kekBits: '金鑰加密金鑰（位元）',
    from: '備份檔',
    fileSha256: '備份檔 SHA-256',
    spkiMatchesHeader: '還原之公開金鑰與備份檔標頭相符',
    testSignatureVerified: '測試簽章驗證通過',
    sensitive: 'CKA_SENSITIVE',
    extractable: 'CKA_EXTRACTABLE',
    wrapWithTrusted: 'CKA_WRAP_WITH_TRUSTED',
    early: '早於最早銷毀時間',
    inspectedAt: '檢視時間',
    token: '載具',
    // confirm-result: what was confirmed (issue 16).
    of: '所確認之步驟',
    what: '標的',
    name: '名稱',
    sha256: 'SHA-256',
    // create-csr and the other signing steps: how the HSM signed.
    signedWith: '簽署方式',
    // record: the serials the tokens reported, shown before the values were typed.
    tokenSerials: '載具回報之序號',
    hash: '雜湊演算法',
    hashedBy: '雜湊計算者',
    // Shown before approval (the prepared facts of the signing steps).
    csrSha256: '憑證申請檔 SHA-256',
    csrWords: '憑證申請檔 PGP 字詞',
    proofOfPossession: '私密金鑰持有證明',
    profile: '憑證格式',
    extensions: '擴充欄位',
    request: '憑證申請檔',
    ledger: '憑證管理帳冊',
    to: '新憑證管理帳冊',
    // A key-encryption key as loaded.
    trusted: 'CKA_TRUSTED',
    sessionObject: '連線期間物件',
    verifier: '驗證值',
    // accept-certificate's checks before approval, and where a restored key's backup came from.
    uri: 'PKCS#11 URI',
    certificate: '憑證',
    checks: '檢核',
    check: '檢核項目',
    ok: '通過',
    message: '結果',
    ceremony: '儀式',
    step: '步驟',
    time: '時間',
  },
  detailValues: {
    what: {
      key: '金鑰',
      file: '檔案',
      'subordinate CA certificate': '下層 CA 憑證',
      'self-signed root certificate': '自簽根憑證',
      'link certificate': '串接憑證',
    },
    hashedBy: { token: '載具', node: '本工具（於載具簽署前）' },
    issuer: { 'the same (self-signed)': '即主體本身（自簽）' },
    proofOfPossession: { 'the request signature verifies with its own key': '申請檔簽章可由其本身之公開金鑰驗證' },
  },
  provenGone: '銷毀後，本載具上已查無此金鑰之物件；此不代表其他處（備份、其他載具）無副本。',
  provenGoneCopies: (copies) =>
    copies.length === 0
      ? '本紀錄金鑰清冊中此金鑰之備份及複本：無（其他儀式所製作之備份及複本見各該儀式紀錄；keyceremony history 指令可合併檢視）。'
      : `本紀錄金鑰清冊中此金鑰未經本步驟銷毀之備份及複本：${copies.join('；')}。`,
  keyInventory: '金鑰清冊',
  keyInventoryIntro:
    '本紀錄所載之每一金鑰、儀式結束時之每一存放處（載具，或附SHA-256之備份檔）、其來源及處置。僅讀取本儀式之日誌：其他儀式所製作之複本及備份見各該儀式紀錄（keyceremony history 指令可合併檢視）。',
  heldIn: '存放處',
  cameBy: '來源',
  atTheEnd: '儀式結束時',
  inventoryToken: (token) => `載具 ${token}`,
  inventoryBackupFile: (name) => `備份檔 ${name}`,
  inventoryGenerated: (step) => `於${step}產製`,
  inventoryRestored: (step, from) => `於${step}${from ? `由備份檔 ${from} ` : ''}還原`,
  inventoryDeclared: '由先前儀式產製（定義檔中宣告）',
  inventoryBackupMade: (step, kekSet) => `於${step}寫入，以${kekSet ? `分持組 ${kekSet} 之` : ''}金鑰加密金鑰包裝`,
  inventoryBackupBrought: '攜入本儀式（輸入檔）',
  inventoryOnToken: '存於載具',
  inventoryDestroyed: (step) => `已於${step}銷毀：其後本載具上查無此金鑰之物件`,
  inventoryFileKept: '檔案：keyceremony 不銷毀檔案，其保管以紙本紀錄',
  keyAttributes: '產製後自載具讀回之私密金鑰屬性',
  keyAttributesMeaning: (a) => {
    const said = [
      a.local === true ? '金鑰係於該載具內產製（LOCAL 為是）' : a.local === false ? '金鑰並非於該載具內產製（LOCAL 為否）' : undefined,
      a.alwaysSensitive === true
        ? '從未能以明文讀取（ALWAYS_SENSITIVE 為是）'
        : a.alwaysSensitive === false
          ? '曾可能以明文讀取（ALWAYS_SENSITIVE 為否）'
          : undefined,
      a.neverExtractable === true
        ? '從未能匯出（NEVER_EXTRACTABLE 為是）'
        : a.neverExtractable === false && a.extractable === true && a.wrapWithTrusted === true
          ? '僅能以標示為受信任之金鑰包裝後離開載具以供備份（EXTRACTABLE 為是、WRAP_WITH_TRUSTED 為是），故非永不可匯出（NEVER_EXTRACTABLE 為否）'
          : a.neverExtractable === false && a.extractable === true
            ? '可以載具上任一包裝金鑰包裝後匯出（EXTRACTABLE 為是、WRAP_WITH_TRUSTED 為否）'
            : a.neverExtractable === false
              ? '目前不可匯出，但先前曾可匯出（NEVER_EXTRACTABLE 為否）'
              : undefined,
    ].filter((part): part is string => part !== undefined);
    const account = said.length === 0 ? '' : `依載具自身之陳述，${said.join('；')}。`;
    return `以上為載具自行回報之屬性值（PKCS#11 C_GetAttributeValue）。${account}此非獨立證明，獨立證明有賴於硬體安全模組之驗證。`;
  },
  keyAttributesNotRead: '未讀回私密金鑰屬性',
  certificateOnToken: (label, id, token, alreadyThere) =>
    `憑證已存入載具 ${token}，憑證物件「${label}」，CKA_ID ${id}（與金鑰相同）${alreadyThere ? '；該憑證原已存在' : ''}`,
  toolRelease: '發行版（套件雜湊值）',
  toolReleaseInstalled: (selfCheck) => `已安裝之發行版；開始時自我檢查：${selfCheck === 'passed' ? '通過' : selfCheck === 'failed' ? '未通過' : selfCheck}`,
  toolReleaseCheckout: '非已安裝之發行版（git 取出版本）：無套件雜湊值',
  file: '檔案',
  noKeys: '本儀式未產製或採用金鑰。',
  noOutputs: '本儀式未產出檔案。',

  criterion: '準則',
  requirement: '要求',
  wherePlan: '腳本對應處',
  whereReport: '紀錄對應處',
  notCovered: '未涵蓋：腳本中沒有步驟標示此準則',
  stepsCompleted: (done, total) => `${total} 個步驟中已完成 ${done} 個，各有開始及結束時間`,
  sensitiveDone: (done, total) => `${total} 個機敏步驟中 ${done} 個已由執行人於見證下完成`,
  participantsSignedIn: (count, time) => `${count} 位參與人員於 ${time} 以其角色簽到`,
  materialsSummary: (tokens, shareSets) => `硬體安全模組、${tokens} 個載具（含序號）、${shareSets} 個分持組`,
  signOffSummary: (signed, total, notFollowed) =>
    `${total} 位參與人員中 ${signed} 位已於終端機簽署確認（係終端機之紀錄；親筆簽名見紙本）${notFollowed > 0 ? `；其中 ${notFollowed} 位表示儀式未依腳本執行` : ''}`,
  incidentsSummary: (exceptions, all) =>
    `已記錄異常事項 ${exceptions} 件；共列出 ${all} 件事件（異常、暫停、拒絕、失敗、中斷、中止、表示未依腳本執行之簽署確認）`,
  quorumEntered: '分持輸入人',
  criteriaGaps: (letters) => `腳本中沒有步驟標示 WebTrust 準則 ${letters}：稽核人員需要其他佐證，或腳本應增加涵蓋之步驟。`,
  criteriaKinds: {
    'key-generation': 'CA 金鑰產製（BR 6.1.1.1、WebTrust 金鑰產製腳本）',
    'key-storage': 'CA 金鑰保管、備份及回復',
    'key-distribution': 'CA 公開金鑰之發布（憑證接受）',
    'key-usage': 'CA 金鑰使用（簽發憑證及憑證廢止清冊）',
    'key-destruction': 'CA 金鑰銷毀',
    'activation-data': '啟用資料及保管人異動',
  },
  criteriaKindsIntro: (kinds, others) =>
    `下列準則為本儀式步驟所涉工作類別之準則：${kinds}。${others === '' ? '' : `其他類別（${others}）之準則不適用於本儀式，不予列出。`}`,
  noCriteriaKinds: '本儀式沒有產製、保管、使用或銷毀 CA 金鑰，亦未異動啟用資料之步驟：不適用稽核準則對照表。',
  notInCeremony: '未涵蓋：本儀式沒有執行此項之步驟，須以其他佐證說明',
  scriptIncludes: '腳本包含',
  noTaggedStep: '無標示此準則之步驟',
  recordShows: '紀錄顯示',
  witnessNotShown: '未顯示：未記錄合格稽核人員之姓名、所屬事務所及出席，亦未記錄錄影檔參照',
  witnessNotDeclared: '未涵蓋：腳本未記錄合格稽核人員之姓名、所屬事務所及出席，亦未記錄錄影檔參照（標示 auditor-* 或 video-* 之紀錄欄位）',
  auditorSignedIn: '於終端機簽到之稽核人員',
  outsideRecordReport: '不在本紀錄範圍內：合格稽核人員本身之報告；本紀錄為其佐證',
  paperEnvironment: '見紙本：儀式地點之實體安全（門禁紀錄、場地檢查）；終端機僅記錄所輸入之內容',
  paperControls: '見紙本：憑證機構依憑證政策與實務作業基準之控制措施，由稽核人員評估；本紀錄顯示步驟及日誌',
  approvalTypedOnly: '僅為輸入之文號：未記錄核准人、日期或腳本雜湊值',
  destructionCopies: '本紀錄僅顯示載具上已無此金鑰；備份及複本見金鑰清點',
  evidenceKinds: {
    'video-file': '錄影檔',
    'video-sha256': '錄影檔 SHA-256',
    'video-cameras': '攝影機數量',
    'video-start': '錄影開始',
    'video-stop': '錄影結束',
    'auditor-name': '合格稽核人員',
    'auditor-firm': '稽核事務所',
    'auditor-attendance': '稽核人員出席',
    'auditor-independence': '稽核人員獨立性聲明',
    'attendance-sheet': '簽到表',
    'id-check': '身分證件查核',
    'hsm-serial': '硬體安全模組序號',
    'hsm-asset-register': '財產登記項目',
    'hsm-certificate': 'FIPS 140 或共同準則證書',
    'hsm-firmware': '硬體安全模組韌體',
    'hsm-vendor-firmware': '原廠公布之韌體',
    'bag-numbers': '防拆封袋編號',
    'envelope-numbers': '分持信封編號',
    'storage-place': '存放地點',
    'key-inventory-before': '儀式前載具上之金鑰',
    'key-inventory-after': '儀式後載具上之金鑰',
  },

  journalFile: '日誌檔',
  records: '紀錄筆數',
  firstRecord: '第一筆紀錄',
  lastRecord: '最後一筆紀錄',
  journalEvents: {
    [JOURNAL_EVENTS.opened]: '儀式開始',
    [JOURNAL_EVENTS.sealed]: '日誌封存',
    [JOURNAL_EVENTS.stepStarted]: '步驟開始',
    [JOURNAL_EVENTS.stepPrepared]: '步驟準備完成',
    [JOURNAL_EVENTS.stepApproved]: '步驟核准',
    [JOURNAL_EVENTS.stepCompleted]: '步驟完成',
    [JOURNAL_EVENTS.stepFailed]: '步驟失敗',
    [JOURNAL_EVENTS.stepRetried]: '步驟重試',
    [JOURNAL_EVENTS.stepReconciled]: '步驟核對',
    [JOURNAL_EVENTS.participantsSignedIn]: '參與人員簽到',
    [JOURNAL_EVENTS.participantsJoined]: '人員加入',
    [JOURNAL_EVENTS.participantSignedOff]: '人員簽署確認',
    [JOURNAL_EVENTS.sharesPrepared]: '分持碼產生',
    [JOURNAL_EVENTS.shareHandedOver]: '分持碼交付',
    [JOURNAL_EVENTS.shareAccepted]: '分持碼確認',
    [JOURNAL_EVENTS.shareRefused]: '分持碼遭拒',
    [JOURNAL_EVENTS.sharesDiscarded]: '分持碼作廢',
    [JOURNAL_EVENTS.eventRefused]: '操作被拒',
    [JOURNAL_EVENTS.exceptionRecorded]: '異常事項紀錄',
    [JOURNAL_EVENTS.paused]: '儀式暫停',
    [JOURNAL_EVENTS.continued]: '儀式繼續',
    [JOURNAL_EVENTS.interrupted]: '儀式中斷',
    [JOURNAL_EVENTS.resumed]: '儀式恢復',
    [JOURNAL_EVENTS.restarted]: '儀式重新啟動',
    [JOURNAL_EVENTS.aborted]: '儀式中止',
    [JOURNAL_EVENTS.resumeRefused]: '恢復被拒',
    [JOURNAL_EVENTS.hsmRelogin]: 'HSM 重新登入',
    [JOURNAL_EVENTS.hsmUnrecordedKey]: 'HSM 上未記錄之金鑰',
    [JOURNAL_EVENTS.hsmKeyAbsent]: '重新啟動後 HSM 上無此金鑰',
    [JOURNAL_EVENTS.outputUnrecorded]: '未記錄之輸出檔案',
    [JOURNAL_EVENTS.checkpoint]: '日誌查核點',
  },
  sealedAt: (seq, status) => `於第 ${seq} 筆紀錄封存（${status}）`,
  notSealed: '未封存',
  finalHash: '日誌最終雜湊值（SHA-256）',
  finalWords: '日誌最終雜湊值（PGP 字詞）',
  journalVerified: (count) => `產生本紀錄前已驗證：共 ${count} 筆，無任何竄改、缺漏、重複或順序錯置`,
  journalHeadChecked: (seq) => `與 state.json 相符（第 ${seq} 筆）`,
  journalHeadNotChecked: '未檢查：沒有記載日誌末筆的 state.json',
  journalHead: '日誌末筆',
  journalPlan: '儀式結束時日誌即封存，最後一筆紀錄之雜湊值以十六進位及 PGP 字詞朗讀。請抄錄於此及紙本紀錄：',
  verifyCommand: '再次驗證',
  checkpointsTitle: '硬體安全模組簽署之查核點',
  checkpointsNone: '無硬體安全模組簽署之查核點：所有紀錄僅由紙本紀錄上之最終雜湊值保護。',
  checkpointColumns: ['查核點紀錄', '所簽署之紀錄', '載具', '稽核金鑰（SPKI SHA-256）', '時間', '簽章'],
  checkpointVerified: '已驗證',
  checkpointNotChecked: '未檢查：找不到此 SPKI SHA-256 之稽核公鑰（keyceremony report --audit-key）',
  checkpointKeysGiven: '稽核公鑰由 --audit-key 提供。',
  checkpointKeysWorkdir:
    '稽核公鑰取自工作目錄，而任何能使用本終端機帳號者皆可更改工作目錄：請將其 SPKI SHA-256 與該載具初始化儀式所記錄者核對，或以 --audit-key 再次驗證。',
  checkpointsLimit: (covered, last) =>
    covered === undefined
      ? `無已驗證之查核點：所有紀錄僅由紙本紀錄上之最終雜湊值保護。`
      : `已驗證之查核點表示第 1 至 ${covered} 筆紀錄即為該載具稽核金鑰所簽署者：改寫之須持有該載具及其保管人法定人數。${covered + 1 > last ? '其後之紀錄' : `第 ${covered + 1} 至 ${last} 筆紀錄`}不在其保護範圍內，僅由紙本紀錄上之最終雜湊值保護。系統當機時不會產生查核點。`,

  signOffStatementPlan: '簽署時，每位參與人員表明儀式是否依本腳本執行，並註記任何偏離情形。',
  signOffStatementReport: (sha, words) =>
    `本人簽署確認：本紀錄與本人參與或觀察之儀式相符，儀式執行之腳本定義檔 SHA-256 為 ${sha}，且日誌最終雜湊值朗讀為：${words}。`,
  name: '姓名',
  signature: '簽名',
  signDate: '日期',
  organisation: '單位',
  auditor: '稽核人員',
  recordedSignOff: '簽署確認時記錄',
  followedScript: '儀式依腳本執行',
  notFollowedScript: '儀式未依腳本執行',
  roleSlot: (role, n, of) => (of > 1 ? `${role}（${of} 人之第 ${n} 人）` : role),
};

const CATALOGUE: Readonly<Record<Lang, Messages>> = { en, 'zh-TW': zhTW };

export function messages(lang: Lang): Messages {
  return CATALOGUE[lang];
}
