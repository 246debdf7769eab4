// The validated, checked ceremony definition that the rest of keyceremony works from.
import { defaultTitle } from '../steps/index.js';
import type { DefinitionData, Step } from './schema.js';
import type { Lang } from '../util/lang.js';

export interface Definition extends Omit<DefinitionData, 'steps'> {
  steps: Step[];
  /** The file it was loaded from, its folder (profiles are relative to it) and its text. */
  file: string;
  dir: string;
  text: string;
  /** SHA-256 of the file bytes: the ceremony script that was approved. */
  sha256: string;
}

export type { Step, StepType, StepOf } from '../steps/index.js';
export type { Bilingual } from './primitives.js';

export function stepIndex(definition: Definition, stepId: string): number {
  return definition.steps.findIndex((s) => s.id === stepId);
}

/** Title of a step in a language, falling back to its type's default. */
export function stepTitle(step: Step, lang: Lang): string {
  return (step.title ?? defaultTitle(step.type))[lang];
}
