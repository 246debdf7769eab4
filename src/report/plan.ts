// `plan`: the definition as the human-readable key generation script that is reviewed and
// approved before the ceremony (BR 6.1.1.1 (1)). It leaves room for what only the ceremony
// can fill in (times, initials, the journal's final hash, signatures), so that a printed
// copy can be followed on paper beside the terminal.
import type { Definition, Step } from '../definition/definition.js';
import { isSensitive, specOf } from '../steps/index.js';
import {
  type Block,
  type CeremonyDocument,
  type Content,
  type Section,
  blank,
  code,
  fields,
  list,
  muted,
  notice,
  paragraph,
  strong,
  table,
  topSection,
} from './document.js';
import { ceremonyKind, criteriaBlocks, evidencingSteps, governedSteps, taggedSteps, type CriterionKey, type WebTrustLetter } from './criteria.js';
import { declaredFor } from './evidence-fields.js';
import type { CriteriaKind } from '../steps/spec-types.js';
import type { EvidenceKind } from '../steps/record/evidence.js';
import { glossary } from './glossary.js';
import { groupedHex, pgpWords } from '../util/fingerprint.js';
import { roleTitles } from '../definition/built-in-roles.js';
import type { Lang } from './i18n.js';
import {
  ceremonyRows,
  credentialsTable,
  declaredKeysTable,
  fieldLabel,
  keysToGenerate,
  outputsToWrite,
  recordedFieldsSummary,
  rolesTable,
  roleName,
  roleTitle,
  script,
  scriptRows,
  sectionRef,
  sensitiveCount,
  stepAnchor,
  stepRef,
  stepTitle,
  materialsIntro,
  type Script,
} from './script.js';

const BLANK = blank();

export interface PlanOptions {
  /** `keyceremony 0.1.0`, for the footer. */
  tool: string;
}

function toolNotice(definition: Definition, t: ReturnType<typeof script>['t']): ReturnType<typeof notice> {
  const pinned = definition.tool?.sha256;
  if (pinned === undefined) return notice('warning', t.toolNotPinned);
  return notice('info', t.toolPinned(groupedHex(pinned), pgpWords(Buffer.from(pinned, 'hex'))));
}

export function buildPlan(definition: Definition, lang: Lang, options: PlanOptions): CeremonyDocument {
  const s = script(definition, lang);
  const { t } = s;
  return {
    kind: 'plan',
    lang,
    title: t.planTitle(definition.title[lang], ceremonyKind(definition)),
    subtitle: [code(definition.ceremony), `${t.definitionSha256} ${groupedHex(definition.sha256)}`],
    notices: [notice('info', t.planIntro), toolNotice(definition, t)],
    sections: [
      topSection('ceremony', t.sections.ceremony, ceremonySection(s)),
      topSection('roles', t.sections.roles, [rolesTable(s), paragraph(t.conflictRule)]),
      topSection('materials', t.sections.materials, materialsSection(s)),
      topSection(
        'steps',
        t.sections.steps,
        [],
        definition.steps.map((step, i) => stepSection(s, step, i)),
      ),
      topSection('deviations', t.sections.deviations, deviationsSection(s)),
      topSection('fingerprints', t.sections.fingerprints, fingerprintsSection(s)),
      topSection(
        'criteria',
        t.sections.criteria,
        criteriaBlocks(s, (key) => criterionInScript(s, key), t.wherePlan),
      ),
      topSection('journal', t.sections.journal, [
        paragraph(t.journalPlan),
        fields([
          [t.finalHash, BLANK],
          [t.finalWords, [BLANK, BLANK, BLANK, BLANK]],
        ]),
      ]),
      topSection('sign-off', t.sections['sign-off'], signOffSection(s)),
      topSection('glossary', t.sections.glossary, [glossary(lang)]),
    ],
    runningHead: `${t.script}${t.colon}${definition.ceremony}`,
    footer: t.footer('plan', definition.ceremony, definition.sha256.slice(0, 16), options.tool),
  };
}

function ceremonySection(s: Script): Block[] {
  const rows = ceremonyRows(s);
  const recorded = recordedFieldsSummary(s);
  if (recorded.length > 0) rows.push([s.t.recordedAtCeremony, recorded]);
  rows.push([s.t.date, BLANK]);
  return [fields(rows), ...approvalBlocks(s)];
}

/**
 * The approval block (issue 22 item 12): the approver signs the script whose SHA-256 and PGP
 * words are printed here; `run --approved-by … --approval … --approved-sha256 …` records it
 * in the journal before sign-in and refuses an approval of another version.
 */
function approvalBlocks(s: Script): Block[] {
  const { t, definition: d } = s;
  return [
    paragraph(strong(t.approvalBlock)),
    {
      kind: 'signatures',
      statement: t.approvalStatement,
      signatures: [
        {
          title: t.approver,
          facts: [
            [t.definitionSha256, code(groupedHex(d.sha256))],
            [t.detailLabels.words ?? 'PGP', pgpWords(Buffer.from(d.sha256, 'hex'))],
          ],
          blanks: [t.name, t.approverRole, t.signDate, t.signature],
        },
      ],
    },
    paragraph(t.approvalHowToRecord),
  ];
}

function materialsSection(s: Script): Block[] {
  const { definition: d, t } = s;
  const blocks: Block[] = [
    table(
      [t.token, t.roleTitle],
      Object.entries(d.tokens).map(([name, token]) => [code(name), token.title?.[s.lang] ?? t.none] as const),
    ),
  ];
  const credentials = credentialsTable(s);
  if (credentials) blocks.push(paragraph(strong(t.credentials)), paragraph(materialsIntro(s)), credentials);
  const declared = declaredKeysTable(s);
  if (declared) blocks.push(paragraph(strong(t.declaredKeys)), declared);
  const inputs = Object.entries(d.inputs);
  if (inputs.length > 0) {
    blocks.push(
      paragraph(strong(t.inputs)),
      table(
        [t.input, t.kind, t.roleTitle, t.expectedSha256],
        inputs.map(([name, input]) => [code(name), input.kind, input.title?.[s.lang] ?? t.none, input.sha256 ? code(input.sha256) : t.none] as const),
      ),
    );
  }
  return blocks;
}

function stepSection(s: Script, step: Step, index: number): Section {
  const rows = scriptRows(s, step);
  // Room on paper for the people at the table to tick the step off as it happens.
  if (isSensitive(step.type)) rows.push([s.t.performedBy, BLANK], [s.t.witnessedBy, BLANK]);
  rows.push([s.t.doneBlank, BLANK]);
  return { anchor: stepAnchor(step.id), number: '', title: s.t.stepHeading(index + 1, stepTitle(step, s.lang)), blocks: [fields(rows)], sections: [] };
}

function deviationsSection(s: Script): Block[] {
  const steps = s.definition.steps.filter((step) => specOf(step).listsDeviations === true).map((step) => stepRef(s, step.id));
  const blocks: Block[] = [paragraph(s.t.deviationsPlan)];
  if (steps.length > 0) blocks.push(list(steps));
  return blocks;
}

function fingerprintsSection(s: Script): Block[] {
  const { t } = s;
  const keys = keysToGenerate(s);
  const outputs = outputsToWrite(s);
  return [
    paragraph(t.fingerprintsPlan),
    paragraph(strong(t.keysToGenerate)),
    keys.length === 0
      ? paragraph(muted(t.noKeys))
      : table(
          [t.step, t.key, t.token, t.algorithm, t.spkiSha256],
          keys.map((k) => [stepRef(s, k.step.id), code(k.label), code(k.token), k.algorithm, BLANK] as const),
        ),
    paragraph(strong(t.outputsToWrite)),
    outputs.length === 0
      ? paragraph(muted(t.noOutputs))
      : table(
          [t.step, t.file, t.sha256],
          outputs.map((o) => [stepRef(s, o.step.id), code(o.name), BLANK] as const),
        ),
  ];
}

function tagged(s: Script, letter: WebTrustLetter): string[] {
  return taggedSteps(s.definition, letter).map((step) => stepLine(s, step));
}

/** Where the script covers each criterion: sections, and steps by number. */
function criterionInScript(s: Script, key: CriterionKey): Content {
  const { definition: d, t } = s;
  // The steps whose type evidences the criterion (their specs' `evidences`).
  const evidencing = (): string[] => evidencingSteps(d, key).map((step) => stepLine(s, step));
  const orGap = (lines: string[]): Content => (lines.length === 0 ? t.notCovered : lines);
  const orNotHere = (lines: string[]): Content => (lines.length === 0 ? t.notInCeremony : lines);
  const governed = (kind: CriteriaKind): string[] => governedSteps(d, kind).map((step) => stepLine(s, step));
  // The record fields the script declares for these kinds of evidence, by step.
  const declared_ = (...kinds: EvidenceKind[]): string[] =>
    kinds.flatMap((kind) =>
      declaredFor(d, kind).map((f) => `${stepRef(s, f.step.id)}${t.colon}${t.aside(t.evidenceKinds[kind], fieldLabel(s, f.step, f.field))}`),
    );
  switch (key) {
    case 'br-script':
      return [
        `${t.definitionSha256}${t.colon}${d.sha256.slice(0, 16)}…`,
        `${sectionRef(s, 'steps')}${t.colon}${t.stepCount(d.steps.length, sensitiveCount(d))}`,
      ];
    case 'br-witness': {
      const declared = declared_('auditor-name', 'auditor-firm', 'auditor-attendance', 'video-file', 'video-sha256');
      if (declared.length === 0) return [t.witnessNotDeclared];
      return declared;
    }
    case 'a':
      return [sectionRef(s, 'roles'), ...evidencing(), ...tagged(s, 'a')];
    case 'br-report':
      return [t.outsideRecordReport, `keyceremony report: ${sectionRef(s, 'deviations')}, ${sectionRef(s, 'journal')}`];
    case 'br-environment':
      return [t.paperEnvironment, ...tagged(s, 'e')];
    case 'br-controls':
      return [t.paperControls, sectionRef(s, 'steps'), sectionRef(s, 'journal')];
    case 'br-people':
      return [
        sectionRef(s, 'roles'),
        `${sectionRef(s, 'steps')}${t.colon}${t.stepCount(d.steps.length, sensitiveCount(d))}`,
        `${sectionRef(s, 'materials')}${t.colon}${t.credentials}`,
      ];
    case 'br-module':
      return [`${sectionRef(s, 'materials')}${t.colon}${t.tokens}`, ...evidencing()];
    case 'br-log':
      return [sectionRef(s, 'journal')];
    case 'b':
      return orGap(tagged(s, 'b'));
    case 'c':
      return [sectionRef(s, 'materials'), ...evidencing(), ...tagged(s, 'c')];
    case 'd':
      return [`${sectionRef(s, 'steps')}${t.colon}${t.stepCount(d.steps.length, sensitiveCount(d))}`, ...tagged(s, 'd')];
    case 'e':
      return orGap(tagged(s, 'e'));
    case 'f':
      return orGap(tagged(s, 'f'));
    case 'g': {
      const lines = [...evidencing(), ...tagged(s, 'g')];
      return lines.length === 0 ? t.notCovered : [sectionRef(s, 'sign-off'), ...lines];
    }
    case 'h':
      return [sectionRef(s, 'deviations'), ...evidencing(), ...tagged(s, 'h')];
    case 'storage-module':
      return [`${sectionRef(s, 'materials')}${t.colon}${t.tokens}`, ...governed('key-storage')];
    case 'storage-control':
      return orNotHere(governed('key-storage'));
    case 'storage-backup':
      return t.notInCeremony;
    case 'storage-after':
      return orNotHere([...tagged(s, 'f'), ...declared_('bag-numbers', 'storage-place')]);
    case 'distribution-check':
    case 'distribution-accept':
      return orNotHere(governed('key-distribution'));
    case 'usage-purpose':
    case 'usage-control':
      return orNotHere(governed('key-usage'));
    case 'usage-request':
      return orNotHere(evidencing());
    case 'usage-log':
    case 'destruction-log':
    case 'activation-log':
      return [sectionRef(s, 'journal')];
    case 'destruction-control':
      return orNotHere(governed('key-destruction'));
    case 'destruction-copies':
      return orNotHere(declared_('key-inventory-before', 'key-inventory-after'));
    case 'activation-split':
    case 'activation-custodians':
      return orNotHere(governed('activation-data'));
    case 'activation-envelopes':
      return orNotHere(declared_('envelope-numbers', 'bag-numbers', 'storage-place'));
  }
}

function stepLine(s: Script, step: Step): string {
  return `${stepRef(s, step.id)}${s.t.colon}${stepTitle(step, s.lang)}`;
}

function signOffSection(s: Script): Block[] {
  const { definition: d, t } = s;
  const signatures = Object.entries(d.roles).flatMap(([role, spec]) => {
    const count = Math.max(spec.min, 1);
    return Array.from({ length: count }, (_, i) => ({
      // Headed by the role's title, as the screens name it (a zh-TW plan said **administrator**).
      title: t.roleSlot(roleTitles(d.roles, role)?.[s.lang] ?? roleName(s, role), i + 1, count),
      facts: [[t.roles, roleTitle(s, role) || role] as const],
      blanks: [t.name, t.signature, t.signDate],
    }));
  });
  return [{ kind: 'signatures', statement: t.signOffStatementPlan, signatures }];
}
