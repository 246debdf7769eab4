// The registry of step types' pure faces (DESIGN principle 9). Adding a step type adds its
// folder and one line here, and one in run-registry.ts; definition/, ui/, report/ and the
// compiler iterate over this table instead of naming step types.
import type { z } from 'zod';
import { acceptCertificateSpec } from './accept-certificate/spec.js';
import { confirmSpec } from './confirm/spec.js';
import { confirmResultSpec } from './confirm-result/spec.js';
import { createCsrSpec } from './create-csr/spec.js';
import { createKekSpec } from './create-kek/spec.js';
import { loadKekSpec } from './load-kek/spec.js';
import { backupKeySpec } from './backup-key/spec.js';
import { restoreKeySpec } from './restore-key/spec.js';
import { destroyKeySpec } from './destroy-key/spec.js';
import { exceptionSpec } from './exception/spec.js';
import { generateKeySpec } from './generate-key/spec.js';
import { initTokenSpec } from './init-token/spec.js';
import { issueCertificateSpec } from './issue-certificate/spec.js';
import { issueCrlSpec } from './issue-crl/spec.js';
import { issueLinkCertificateSpec } from './issue-link-certificate/spec.js';
import { lockSpec } from './lock/spec.js';
import { recordSpec } from './record/spec.js';
import { rotateCredentialSpec } from './rotate-credential/spec.js';
import { selfSignSpec } from './self-sign/spec.js';
import { signInSpec } from './sign-in/spec.js';
import { signOffSpec } from './sign-off/spec.js';
import type { CriteriaKind, ProducedFile, StepSpec } from './spec-types.js';
import { splitCredentialSpec } from './split-credential/spec.js';
import { unlockSpec } from './unlock/spec.js';

/** In the order the definition's documentation and `validate` list them. */
const SPECS = {
  [signInSpec.type]: signInSpec,
  [recordSpec.type]: recordSpec,
  [confirmSpec.type]: confirmSpec,
  [exceptionSpec.type]: exceptionSpec,
  [signOffSpec.type]: signOffSpec,
  [initTokenSpec.type]: initTokenSpec,
  [splitCredentialSpec.type]: splitCredentialSpec,
  [rotateCredentialSpec.type]: rotateCredentialSpec,
  [unlockSpec.type]: unlockSpec,
  [createKekSpec.type]: createKekSpec,
  [loadKekSpec.type]: loadKekSpec,
  [backupKeySpec.type]: backupKeySpec,
  [restoreKeySpec.type]: restoreKeySpec,
  [lockSpec.type]: lockSpec,
  [generateKeySpec.type]: generateKeySpec,
  [createCsrSpec.type]: createCsrSpec,
  [selfSignSpec.type]: selfSignSpec,
  [issueCertificateSpec.type]: issueCertificateSpec,
  [issueLinkCertificateSpec.type]: issueLinkCertificateSpec,
  [acceptCertificateSpec.type]: acceptCertificateSpec,
  [issueCrlSpec.type]: issueCrlSpec,
  [destroyKeySpec.type]: destroyKeySpec,
  [confirmResultSpec.type]: confirmResultSpec,
};

export type StepType = keyof typeof SPECS;
export type StepOf<T extends StepType> = z.infer<(typeof SPECS)[T]['schema']>;
export type Step = { [T in StepType]: StepOf<T> }[StepType];

/** Each step type's schema with its literal zod type (for the editors' JSON Schema). */
export type StepSchemas = { [T in StepType]: (typeof SPECS)[T]['schema'] };

export const STEP_SPECS: { readonly [T in StepType]: StepSpec<StepOf<T>> } = SPECS;
export const STEP_TYPES = Object.keys(STEP_SPECS) as StepType[];

/** The spec of a step's type, for code that handles any step. */
export function specOf(step: Step): StepSpec<Step> {
  return STEP_SPECS[step.type] as StepSpec<Step>;
}

/** The files a step writes into outputs/ (its output, its share-set manifests), from its spec's `produces`. */
export function producedBy(step: Step): ProducedFile[] {
  return specOf(step).produces?.(step) ?? [];
}

/** A file a definition's step writes into outputs/, with the step that writes it. */
export interface StepOutput extends ProducedFile {
  step: Step;
}

/**
 * Every file the definition's steps write into outputs/, in step order: the one list the
 * plan, the report, resume's checks and reconciliation read, so they cannot disagree.
 */
export function producedFiles(definition: { readonly steps: readonly Step[] }): StepOutput[] {
  return definition.steps.flatMap((step) => producedBy(step).map((file) => ({ ...file, step })));
}

/** The deviation a completed step wrote down, by its journal record's type and values; undefined for any other step or "none". */
export function deviationWrittenBy(type: unknown, values: unknown): string | undefined {
  const known = STEP_TYPES.find((candidate) => candidate === type);
  if (known === undefined || typeof values !== 'object' || values === null || Array.isArray(values)) return undefined;
  return STEP_SPECS[known].writtenDeviation?.(values);
}

export function isSensitive(type: StepType): boolean {
  return STEP_SPECS[type].sensitive;
}

/** The families of audit criteria that govern what a step of this type does. */
export function governedBy(type: StepType): readonly CriteriaKind[] {
  return STEP_SPECS[type].governedBy ?? [];
}

/** The title of a step type when a step gives none. */
export function defaultTitle(type: StepType): StepSpec<Step>['title'] {
  return STEP_SPECS[type].title;
}

export type { StepSpec } from './spec-types.js';
export { saysNone } from './shared/no-deviation.js';
