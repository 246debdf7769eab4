// Section 7 of the record: where the journal shows each BR 6.1.1.1 and WebTrust criterion,
// step by step and with the people who did it.
import type { Step } from '../definition/definition.js';
import { isSensitive, specOf } from '../steps/index.js';
import { taggedSteps, type CriterionKey, type WebTrustLetter } from './criteria.js';
import type { Content } from './document.js';
import { formatTime } from './format.js';
import { asObject, asString } from './json-values.js';
import { finalHash, people, person, sealText, stepStatusText, type Context } from './record-context.js';
import { keyAttributeLines } from './record-steps.js';
import { sectionRef, sensitiveCount, stepRef } from './script.js';

/** `step 2 (location): completed 2026-11-28 09:02:11, 王小明 (alice); 林美玲 (wendy)`. */
function stepEvidence(c: Context, step: Step): string {
  const fact = c.record.steps.get(step.id);
  if (fact === undefined || fact.status === 'not-reached') return `${stepRef(c, step.id)}${c.t.colon}${c.t.stepStatuses['not-reached']}`;
  const who = [fact.performer, ...fact.witnesses].filter((id): id is string => id !== undefined);
  const when = fact.ended ?? fact.started;
  return `${stepRef(c, step.id)}${c.t.colon}${stepStatusText(c, fact)}${when ? ` ${formatTime(when)}` : ''}${who.length > 0 ? `${c.t.listSeparator}${people(c, who)}` : ''}`;
}

function tagged(c: Context, letter: WebTrustLetter): string[] {
  return taggedSteps(c.definition, letter).map((step) => stepEvidence(c, step));
}

export function criterionInRecord(c: Context, key: CriterionKey): Content {
  const { t, record, definition: d } = c;
  const steps = d.steps.map((step) => ({ step, fact: record.steps.get(step.id) }));
  const completed = steps.filter((s) => s.fact?.status === 'completed').length;
  const stepsLine = `${sectionRef(c, 'steps')}${t.colon}${t.stepsCompleted(completed, d.steps.length)}`;
  const byType = (...types: Array<Step['type']>): string[] => d.steps.filter((step) => types.includes(step.type)).map((step) => stepEvidence(c, step));
  const orGap = (lines: string[]): Content => (lines.length === 0 ? t.notCovered : lines);
  const hash = finalHash(c);
  switch (key) {
    case 'br-script':
      return [`${t.definitionSha256}${t.colon}${record.definitionSha256.slice(0, 16)}… = ${d.sha256.slice(0, 16)}…`, stepsLine];
    case 'br-witness': {
      const witnessed = steps.filter((s) => (s.fact?.witnesses.length ?? 0) > 0).map((s) => `${stepRef(c, s.step.id)}${t.colon}${people(c, s.fact!.witnesses)}`);
      const auditors = record.participants.filter((p) => p.roles.includes('auditor')).map((p) => person(c, p.id));
      return [...witnessed, `${t.auditor}${t.colon}${auditors.length === 0 ? t.none : auditors.join(t.listSeparator)}`];
    }
    case 'br-report':
      return [`${sectionRef(c, 'journal')}${t.colon}${sealText(c)}, ${hash.slice(0, 16)}…`, `${sectionRef(c, 'sign-off')}${t.colon}${t.auditor}`];
    case 'br-people': {
      const sensitive = steps.filter((s) => isSensitive(s.step.type));
      const done = sensitive.filter((s) => s.fact?.status === 'completed' && s.fact.performer !== undefined && s.fact.witnesses.length > 0).length;
      const quorums = steps.filter((s) => (s.fact?.sharesEntered.length ?? 0) > 0).map((s) => `${stepRef(c, s.step.id)}${t.colon}${t.quorumEntered} ${people(c, s.fact!.sharesEntered.map((e) => e.custodian))}`);
      return [`${sectionRef(c, 'steps')}${t.colon}${t.sensitiveDone(done, sensitiveCount(d))}`, ...quorums];
    }
    case 'br-module': {
      const module = asObject(asObject(record.header.hsm)?.module);
      const moduleLine = [asString(module?.manufacturer), asString(module?.description), asString(module?.libraryVersion)].filter(Boolean).join(' ');
      // What the token said about each key it generated (issue 22 item 3), not a claim of ours.
      const generated = d.steps
        .filter((step) => specOf(step).generates !== undefined && record.steps.get(step.id)?.status === 'completed')
        .map((step) => {
          const attributes = asObject(record.steps.get(step.id)?.details.privateKeyAttributes);
          return `${stepRef(c, step.id)}${t.colon}${attributes ? keyAttributeLines(c, attributes)[0]! : t.keyAttributesNotRead}`;
        });
      return [`${sectionRef(c, 'materials')}${t.colon}${moduleLine || t.notRecorded}`, ...record.tokens.map((token) => `${token.name}${t.colon}${token.label ?? '?'}${token.serial ? `, ${t.serial} ${token.serial}` : ''}`), ...generated];
    }
    case 'br-log':
      return [`${sectionRef(c, 'journal')}${t.colon}${t.journalVerified(record.recordCount)}`];
    case 'a':
      return [`${sectionRef(c, 'roles')}${t.colon}${t.participantsSignedIn(record.participants.length, record.signedInAt ? formatTime(record.signedInAt) : t.none)}`, ...tagged(c, 'a')];
    case 'b':
      return orGap(tagged(c, 'b'));
    case 'c':
      return [
        `${sectionRef(c, 'materials')}${t.colon}${t.materialsSummary(record.tokens.length, record.shareSets.length)}`,
        ...byType('init-token', 'split-credential', 'rotate-credential', 'unlock', 'lock'),
        ...tagged(c, 'c'),
      ];
    case 'd':
      return [stepsLine, ...tagged(c, 'd')];
    case 'e':
      return orGap(tagged(c, 'e'));
    case 'f':
      return orGap(tagged(c, 'f'));
    case 'g': {
      const signOffSteps = byType('sign-off');
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
      const exceptions = record.incidents.filter((i) => i.kind === 'exception').length;
      return [`${sectionRef(c, 'deviations')}${t.colon}${t.incidentsSummary(exceptions, record.incidents.length)}`, ...byType('exception'), ...tagged(c, 'h')];
    }
  }
}
