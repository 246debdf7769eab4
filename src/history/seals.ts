// Custody seals across ceremonies: a definition marks record fields as seals (`seal: in`, the
// number of the seal opened to take `object` out of storage; `seal: out`, the seal it was put
// away under). Over the ceremonies that seal an object, in the order they ran, each seal out
// must be the next seal in: another number means the object was resealed (or swapped) outside
// any ceremony; a seal out followed by another seal out, with no seal in between, means a
// ceremony took the object out without recording which seal it opened.
import { asObjects, asString } from '../report/json-values.js';
import type { At, CeremonyFacts } from './facts.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

const COMPLETED_EVENT = JOURNAL_EVENTS.stepCompleted;

export interface SealEnd {
  at: At;
  field: string;
  value: string;
}

/** One object's seal out and the next seal in (or none yet), and whether they agree. */
export interface SealLink {
  object: string;
  out: SealEnd | undefined;
  in: SealEnd | undefined;
  problem: 'mismatch' | 'gap' | undefined;
  /** For a gap: the next seal out, recorded with no seal in before it. */
  next?: SealEnd;
}

interface SealEvent extends SealEnd {
  object: string;
  direction: 'in' | 'out';
}

/** The seal fields of a definition's steps: step id to its fields that are seals. */
function sealFields(ceremony: CeremonyFacts): Map<string, Array<{ field: string; direction: 'in' | 'out'; object: string }>> {
  const fields = new Map<string, Array<{ field: string; direction: 'in' | 'out'; object: string }>>();
  for (const step of ceremony.definition.steps) {
    for (const field of asObjects((step as unknown as Record<string, unknown>).fields)) {
      const direction = field.seal === 'in' || field.seal === 'out' ? field.seal : undefined;
      const object = asString(field.object);
      const id = asString(field.id);
      if (direction && object && id) fields.set(step.id, [...(fields.get(step.id) ?? []), { field: id, direction, object }]);
    }
  }
  return fields;
}

function sealEvents(ceremony: CeremonyFacts): SealEvent[] {
  const fields = sealFields(ceremony);
  const events: SealEvent[] = [];
  for (const record of ceremony.records) {
    if (record.event !== COMPLETED_EVENT || record.step === null) continue;
    const { values, performer } = record.data;
    for (const seal of fields.get(record.step) ?? []) {
      const value = asString(values?.[seal.field]);
      if (value === undefined || value === '') continue;
      const at: At = {
        ceremony: ceremony.ceremony,
        workdir: ceremony.name,
        step: record.step,
        seq: record.seq,
        time: record.time,
        performer: performer === undefined ? undefined : (ceremony.names.get(performer) ?? performer),
        witnesses: [],
      };
      events.push({ object: seal.object, direction: seal.direction, field: seal.field, value, at });
    }
  }
  return events;
}

/** `ceremonies` in the order they ran. */
export function sealChecks(ceremonies: CeremonyFacts[]): SealLink[] {
  const events = ceremonies.flatMap(sealEvents);
  const objects = [...new Set(events.map((e) => e.object))];
  const links: SealLink[] = [];
  for (const object of objects) {
    let open: SealEvent | undefined;
    for (const event of events.filter((e) => e.object === object)) {
      const end: SealEnd = { at: event.at, field: event.field, value: event.value };
      if (event.direction === 'in') {
        if (open) links.push({ object, out: open, in: end, problem: open.value === event.value ? undefined : 'mismatch' });
        else links.push({ object, out: undefined, in: end, problem: undefined });
        open = undefined;
      } else {
        if (open) links.push({ object, out: open, in: undefined, problem: 'gap', next: end });
        open = event;
      }
    }
    // Still sealed at the end of the history: nothing to compare yet.
    if (open) links.push({ object, out: open, in: undefined, problem: undefined });
  }
  return links;
}
