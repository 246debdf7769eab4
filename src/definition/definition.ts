// The validated, checked ceremony definition that the rest of keyceremony works from.
import type { DefinitionData, Step } from './schema.js';

export interface Definition extends Omit<DefinitionData, 'steps'> {
  steps: Step[];
  /** The file it was loaded from, its folder (profiles are relative to it) and its text. */
  file: string;
  dir: string;
  text: string;
  /** SHA-256 of the file bytes: the ceremony script that was approved. */
  sha256: string;
}

export type { Step, StepType, StepOf, Bilingual } from './schema.js';

export function stepIndex(definition: Definition, stepId: string): number {
  return definition.steps.findIndex((s) => s.id === stepId);
}

/** Title of a step in a language, falling back to its type's default. */
export function stepTitle(step: Step, lang: 'en' | 'zh-TW', defaults: Record<string, { en: string; 'zh-TW': string }>): string {
  return (step.title ?? defaults[step.type]!)[lang];
}
