// Custody seals across ceremonies (filled in by the next change).
import type { At, CeremonyFacts } from './facts.js';

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
}

export function sealChecks(_ceremonies: CeremonyFacts[]): SealLink[] {
  return [];
}
