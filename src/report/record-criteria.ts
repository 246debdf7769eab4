// Section 7 of the record: where the journal shows each BR 6.1.1.1 and WebTrust criterion,
// step by step and with the people who did it.
import type { Step } from '../definition/definition.js';
import { isSensitive, specOf } from '../steps/index.js';
import { taggedSteps, type CriterionKey, type WebTrustLetter } from './criteria.js';
import type { Content } from './document.js';
import { formatTime } from './format.js';
import { asObject } from './json-values.js';
import { approvalOf, finalHash, people, person, sealText, stepStatusText, type Context } from './record-context.js';
import { fieldLabel, moduleDescriptionText, sectionRef, sensitiveCount, stepRef } from './script.js';
import { evidencingSteps, governedSteps } from './criteria.js';
import { recordedFor } from './evidence-fields.js';
import type { CriteriaKind } from '../steps/spec-types.js';
import type { EvidenceKind } from '../steps/record/evidence.js';
import { keyAttributeLines } from './record-steps.js';

/** `step 2 (location): completed 2026-11-28 09:02:11, 王小明 (alice); 林美玲 (wendy)`. */
function stepEvidence(c: Context, step: Step): string {
  const fact = c.record.steps.get(step.id);
  if (fact === undefined || fact.status === 'not-reached') return `${stepRef(c, step.id)}${c.t.colon}${c.t.stepStatuses['not-reached']}`;
  const who = [fact.performer, ...fact.witnesses].filter((id): id is string => id !== undefined);
  const when = fact.ended ?? fact.started;
  return `${stepRef(c, step.id)}${c.t.colon}${stepStatusText(c, fact)}${when ? ` ${formatTime(when, c.definition.timeZone)}` : ''}${who.length > 0 ? `${c.t.listSeparator}${people(c, who)}` : ''}`;
}

function tagged(c: Context, letter: WebTrustLetter): string[] {
  return taggedSteps(c.definition, letter).map((step) => stepEvidence(c, step));
}

/** `Video file: cam-2026-11-28.mp4 (step 2)`, per kind recorded; complete when every kind has a value. */
function evidenceLines(c: Context, ...kinds: EvidenceKind[]): { lines: string[]; complete: boolean } {
  const found = kinds.map((kind) =>
    recordedFor(c.definition, c.record, kind).map(({ step, value }) => c.t.aside(`${c.t.evidenceKinds[kind]}${c.t.colon}${value}`, stepRef(c, step.id))),
  );
  return { lines: found.flat(), complete: found.every((lines) => lines.length > 0) };
}

/**
 * WebTrust (b), (c), (e), (f): what the script includes (the steps tagged for it), and
 * apart from it what the record shows (the values and facts the journal holds), so a
 * tagged step is not read as the evidence itself.
 */
function scriptAndRecord(c: Context, letter: WebTrustLetter, recordFacts: string[]): Content {
  const { t } = c;
  const steps = taggedSteps(c.definition, letter);
  if (steps.length === 0 && recordFacts.length === 0) return t.notCovered;
  return [
    `${t.scriptIncludes}${t.colon}${steps.length === 0 ? t.noTaggedStep : steps.map((step) => stepRef(c, step.id)).join(t.listSeparator)}`,
    ...recordShows(c, letter),
    ...recordFacts,
  ];
}

/** The values and status of the steps tagged with a letter, as the journal has them. */
function recordShows(c: Context, letter: WebTrustLetter): string[] {
  return taggedSteps(c.definition, letter).map((step) => {
    const fact = c.record.steps.get(step.id);
    const values = fact?.values.map(([field, value]) => `${fieldLabel(c, step, field)} ${value}`) ?? [];
    return `${c.t.recordShows}${c.t.colon}${stepEvidence(c, step)}${values.length > 0 ? `${c.t.listSeparator}${values.join(c.t.listSeparator)}` : ''}`;
  });
}

export function criterionInRecord(c: Context, key: CriterionKey): Content {
  const { t, record, definition: d } = c;
  const steps = d.steps.map((step) => ({ step, fact: record.steps.get(step.id) }));
  const completed = steps.filter((s) => s.fact?.status === 'completed').length;
  const stepsLine = `${sectionRef(c, 'steps')}${t.colon}${t.stepsCompleted(completed, d.steps.length)}`;
  // The steps whose type evidences the criterion (their specs' `evidences`).
  const evidencing = (): string[] => evidencingSteps(d, key).map((step) => stepEvidence(c, step));
  const orNotHere = (lines: string[]): Content => (lines.length === 0 ? t.notInCeremony : lines);
  const governed = (kind: CriteriaKind): string[] => governedSteps(d, kind).map((step) => stepEvidence(c, step));
  const evidence = (...kinds: EvidenceKind[]): string[] => kinds.flatMap((kind) => evidenceLines(c, kind).lines);
  const hash = finalHash(c);
  switch (key) {
    case 'br-script':
      return [`${t.definitionSha256}${t.colon}${record.definitionSha256.slice(0, 16)}… = ${d.sha256.slice(0, 16)}…`, stepsLine];
    case 'br-witness': {
      // The terminal's witnesses are not the Qualified Auditor: only the auditor's name, firm
      // and attendance, or a video reference, recorded in the ceremony show (2).
      const auditor = evidenceLines(c, 'auditor-name', 'auditor-firm', 'auditor-attendance');
      const video = evidenceLines(c, 'video-file', 'video-sha256');
      const shown = [...(auditor.complete ? auditor.lines : []), ...(video.complete ? video.lines : [])];
      const auditors = record.participants.filter((p) => p.roles.includes('auditor')).map((p) => person(c, p.id));
      return [
        shown.length > 0 ? `${t.recordShows}${t.colon}${shown.join(t.listSeparator)}` : t.witnessNotShown,
        `${t.auditorSignedIn}${t.colon}${auditors.length === 0 ? t.none : auditors.join(t.listSeparator)}`,
      ];
    }
    case 'br-report':
      return [t.outsideRecordReport, `${sectionRef(c, 'journal')}${t.colon}${sealText(c)}${t.listSeparator}${hash.slice(0, 16)}…`];
    case 'br-environment':
      return [t.paperEnvironment, ...recordShows(c, 'e')];
    case 'br-controls':
      return [
        t.paperControls,
        `${sectionRef(c, 'steps')}${t.colon}${t.stepsCompleted(completed, d.steps.length)}`,
        `${sectionRef(c, 'journal')}${t.colon}${t.journalVerified(record.recordCount)}`,
      ];
    case 'br-people': {
      const sensitive = steps.filter((s) => isSensitive(s.step.type));
      const done = sensitive.filter((s) => s.fact?.status === 'completed' && s.fact.performer !== undefined && s.fact.witnesses.length > 0).length;
      const quorums = steps
        .filter((s) => (s.fact?.sharesEntered.length ?? 0) > 0)
        .map(
          (s) =>
            `${stepRef(c, s.step.id)}${t.colon}${t.quorumEntered} ${people(
              c,
              s.fact!.sharesEntered.map((e) => e.custodian),
            )}`,
        );
      return [`${sectionRef(c, 'steps')}${t.colon}${t.sensitiveDone(done, sensitiveCount(d))}`, ...quorums];
    }
    case 'br-module': {
      const { module } = record.header.hsm;
      const moduleLine = [
        module.manufacturer,
        module.description === undefined ? undefined : moduleDescriptionText(c, module.description),
        module.libraryVersion,
      ]
        .filter(Boolean)
        .join(' ');
      // What the token said about each key it generated (issue 22 item 3), not a claim of ours.
      const generated = d.steps
        .filter((step) => specOf(step).generates !== undefined && record.steps.get(step.id)?.status === 'completed')
        .map((step) => {
          const attributes = asObject(record.steps.get(step.id)?.details.privateKeyAttributes);
          return `${stepRef(c, step.id)}${t.colon}${attributes ? keyAttributeLines(c, attributes)[0]! : t.keyAttributesNotRead}`;
        });
      return [
        `${sectionRef(c, 'materials')}${t.colon}${moduleLine || t.notRecorded}`,
        ...record.tokens.map((token) => `${token.name}${t.colon}${token.label ?? '?'}${token.serial ? `${t.listSeparator}${t.serial} ${token.serial}` : ''}`),
        ...generated,
      ];
    }
    case 'br-log':
      return [`${sectionRef(c, 'journal')}${t.colon}${t.journalVerified(record.recordCount)}`];
    case 'a':
      return [
        `${sectionRef(c, 'roles')}${t.colon}${t.participantsSignedIn(record.participants.length, record.signedInAt ? formatTime(record.signedInAt, c.definition.timeZone) : t.none)}`,
        ...tagged(c, 'a'),
      ];
    case 'b': {
      const approval = approvalOf(c);
      return scriptAndRecord(c, 'b', [
        approval ? `${t.recordShows}${t.colon}${t.approvalRecorded(approval.approvedBy, approval.reference, approval.sha256Typed)}` : t.approvalTypedOnly,
      ]);
    }
    case 'c':
      return scriptAndRecord(c, 'c', [
        `${sectionRef(c, 'materials')}${t.colon}${t.materialsSummary(record.tokens.length, record.shareSets.length)}`,
        ...evidencing(),
      ]);
    case 'd':
      return [stepsLine, ...tagged(c, 'd')];
    case 'e':
      return scriptAndRecord(c, 'e', [t.paperEnvironment]);
    case 'f':
      return scriptAndRecord(c, 'f', []);
    case 'g': {
      const signOffSteps = evidencing();
      if (signOffSteps.length === 0 && taggedSteps(d, 'g').length === 0) return t.notCovered;
      const signed = new Set(record.signOffs.map((s) => s.participant));
      const notFollowed = record.signOffs.filter((s) => s.followedScript === false).length;
      return [
        `${sectionRef(c, 'sign-off')}${t.colon}${t.signOffSummary(signed.size, record.participants.length, notFollowed)}`,
        ...signOffSteps,
        ...tagged(c, 'g'),
      ];
    }
    case 'h': {
      const exceptions = record.deviations.filter((d) => d.kind === 'exception').length;
      return [`${sectionRef(c, 'deviations')}${t.colon}${t.incidentsSummary(exceptions, record.deviations.length)}`, ...evidencing(), ...tagged(c, 'h')];
    }
    case 'storage-module':
      return [`${sectionRef(c, 'materials')}${t.colon}${t.materialsSummary(record.tokens.length, record.shareSets.length)}`, ...governed('key-storage')];
    case 'storage-control':
      return orNotHere(governed('key-storage'));
    case 'storage-backup':
      return t.notInCeremony;
    case 'storage-after':
      return orNotHere([...recordShows(c, 'f'), ...evidence('bag-numbers', 'storage-place')]);
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
      return [`${sectionRef(c, 'journal')}${t.colon}${t.journalVerified(record.recordCount)}`];
    case 'destruction-control':
      return orNotHere(governed('key-destruction'));
    case 'destruction-copies':
      return [t.destructionCopies, ...evidence('key-inventory-before', 'key-inventory-after')];
    case 'activation-split':
      return orNotHere([
        ...governed('activation-data'),
        ...record.shareSets.map((set) => `${set.credential}${t.colon}${set.threshold} / ${set.custodians.length}`),
      ]);
    case 'activation-custodians':
      return orNotHere(governed('activation-data'));
    case 'activation-envelopes':
      return orNotHere(evidence('envelope-numbers', 'bag-numbers', 'storage-place'));
  }
}
