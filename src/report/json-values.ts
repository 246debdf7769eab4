// Reading the `data` of journal records, which is plain JSON of type unknown: a report must
// show what was recorded even when a field is missing or has an unexpected shape (an older
// journal, a newer tool), so these readers never throw; they return undefined or empty.
import type { Lang } from '../util/lang.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asStrings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

export function asObjects(value: unknown): JsonObject[] {
  return asArray(value).flatMap((item) => {
    const object = asObject(item);
    return object === undefined ? [] : [object];
  });
}

/** A recorded scalar as text: strings as they are, numbers and booleans spelt out. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Text in both languages, as definitions and some records hold it. */
export function isBilingual(value: unknown): value is { en: string; 'zh-TW': string } {
  const object = asObject(value);
  return object !== undefined && typeof object.en === 'string' && typeof object['zh-TW'] === 'string';
}

/**
 * Between a nested value's labels: a dot is a path, not words, in either language (issue 16):
 * "Ledger, from" in en, as 之 reads in zh-TW. A list's items are joined as each language lists.
 */
export const NESTED_LABEL_JOINER: Record<Lang, string> = { en: ', ', 'zh-TW': '之' };
const LIST_JOINER: Record<Lang, string> = { en: ', ', 'zh-TW': '、' };

/**
 * Any recorded value as label/value lines, so that nothing the journal holds is left out
 * of the report: nested objects become `token, serial` (`載具之序號`), arrays of scalars a list, and
 * bilingual text is shown in the report's language.
 */
export function flattenValue(value: unknown, label: string, lang: Lang, labelOf: (key: string) => string = (key) => key): Array<[string, string]> {
  if (value === null || value === undefined) return [];
  if (isBilingual(value)) return [[label, value[lang]]];
  const scalar = scalarText(value);
  if (scalar !== undefined) return [[label, scalar]];
  if (Array.isArray(value)) {
    if (value.every((item) => scalarText(item) !== undefined))
      return value.length === 0 ? [] : [[label, value.map((item) => scalarText(item)!).join(LIST_JOINER[lang])]];
    return value.flatMap((item, i) => flattenValue(item, `${label}[${i + 1}]`, lang, labelOf));
  }
  const object = asObject(value);
  if (object === undefined) return [];
  return Object.entries(object).flatMap(([key, inner]) =>
    flattenValue(inner, label === '' ? labelOf(key) : `${label}${NESTED_LABEL_JOINER[lang]}${labelOf(key)}`, lang, labelOf),
  );
}
