// The record fields the definition tags as audit evidence (src/steps/record/evidence.ts),
// and their values in the journal: the plan lists what the ceremony will record, the report
// what it did record, and says "not recorded" for the rest.
import type { Definition, Step } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import type { EvidenceKind } from '../steps/record/evidence.js';
import type { CeremonyRecord } from './ceremony-record.js';

export interface EvidenceField {
  step: Step;
  field: string;
  kind: EvidenceKind;
}

/** Every typed field (a record step's) that carries an `evidence` tag, in script order. */
export function evidenceFields(definition: Definition): EvidenceField[] {
  return definition.steps.flatMap((step) =>
    (specOf(step).typedFields?.(step) ?? []).flatMap((f) => (f.evidence !== undefined ? [{ step, field: f.id, kind: f.evidence }] : [])),
  );
}

/** The fields declared for one kind of evidence. */
export function declaredFor(definition: Definition, kind: EvidenceKind): EvidenceField[] {
  return evidenceFields(definition).filter((f) => f.kind === kind);
}

/** The values the journal recorded for one kind of evidence (empty ones left out). */
export function recordedFor(definition: Definition, record: CeremonyRecord, kind: EvidenceKind): Array<{ step: Step; value: string }> {
  return declaredFor(definition, kind).flatMap(({ step, field }) => {
    const fact = record.steps.get(step.id);
    const value = fact?.status === 'completed' ? fact.values.find(([name]) => name === field)?.[1] : undefined;
    return value === undefined || value.trim() === '' ? [] : [{ step, value }];
  });
}
