// The validated, checked ceremony definition that the rest of keyceremony works from.
import { defaultTitle } from '../steps/index.js';
import type { DefinitionData, Step } from './schema.js';
import type { Lang } from '../util/lang.js';
import { fillChinese } from '../util/fill.js';

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

const CREDENTIAL_KINDS = {
  en: { user: 'user PIN', so: 'SO PIN', kek: 'key-encryption key' },
  'zh-TW': { user: '使用者 PIN 碼', so: '安全管理者 PIN 碼', kek: '金鑰加密金鑰' },
} as const;

/**
 * What a credential is called in a language: its own title, else its token's title and
 * which PIN it is, as one noun that reads inside a sentence too ("Custodians of the
 * Healthcare CA token user PIN", 醫事憑證管理中心載具之使用者 PIN 碼的保管人); never the bare id
 * when a title exists.
 */
export function credentialTitle(definition: Pick<Definition, 'credentials' | 'tokens'>, name: string, lang: Lang): string {
  const credential = definition.credentials[name];
  if (!credential) return name;
  if (credential.title) return credential.title[lang];
  const kind = CREDENTIAL_KINDS[lang][credential.kek ? 'kek' : credential.user];
  const token = definition.tokens[credential.token]?.title?.[lang] ?? credential.token;
  return lang === 'zh-TW' ? fillChinese('{token}之{kind}', { token, kind }) : `${token} ${kind}`;
}
