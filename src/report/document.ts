// The one document model that both the ceremony script (`plan`, before the ceremony) and
// the ceremony record (`report`, after it) are built as, so the two read side by side:
// same sections in the same order, same step numbers. Builders fill it with plain text;
// only the renderers (markdown.ts, html.ts) know a syntax, and they escape everything,
// because names and values come from people at the ceremony and must never become markup.
import type { Lang } from './i18n.js';

/** A run of text with a presentation hint. Plain strings are ordinary text. */
export interface Span {
  text: string;
  /**
   * code: hex, hashes, ids, file names (monospace); strong: emphasis; muted: a placeholder;
   * blank: a line left empty on paper for a pen (its text is empty).
   */
  style: 'code' | 'strong' | 'muted' | 'blank';
}

export type Inline = string | Span;

/** A value: one line, or several lines (an array, each element one line). */
export type Content = Inline | readonly Inline[];

/** Label and value pairs, as a two-column list (ceremony facts, a step's record). */
export interface FieldsBlock {
  kind: 'fields';
  rows: ReadonlyArray<readonly [label: string, value: Content]>;
}

export interface TableBlock {
  kind: 'table';
  columns: readonly string[];
  rows: ReadonlyArray<readonly Content[]>;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  text: Content;
}

export interface ListBlock {
  kind: 'list';
  items: readonly Content[];
}

/** Something the reader must not miss: a dry run, an unsealed journal, a criterion not covered. */
export interface NoticeBlock {
  kind: 'notice';
  tone: 'info' | 'warning';
  text: Content;
}

/** One person's (or one role's) place to sign on paper. */
export interface SignatureBlock {
  title: string;
  /** What is already known: name, roles, what the journal recorded at sign-off. */
  facts: ReadonlyArray<readonly [label: string, value: Content]>;
  /** Labels of the lines left blank for the pen: signature, date. */
  blanks: readonly string[];
}

export interface SignaturesBlock {
  kind: 'signatures';
  statement: string;
  signatures: readonly SignatureBlock[];
}

export interface GlossaryBlock {
  kind: 'glossary';
  terms: ReadonlyArray<{ term: string; definition: string }>;
}

export type Block = FieldsBlock | TableBlock | ParagraphBlock | ListBlock | NoticeBlock | SignaturesBlock | GlossaryBlock;

export interface Section {
  /** A stable anchor for links within the HTML (`section-steps`, `step-keygen`). */
  anchor: string;
  /** `4` for a top-level section; empty for sub-sections that carry their own number (steps). */
  number: string;
  title: string;
  blocks: Block[];
  sections: Section[];
}

export interface CeremonyDocument {
  /** letter: the one-page attestation letter made from the record (`report --letter`). */
  kind: 'plan' | 'report' | 'history' | 'letter';
  lang: Lang;
  title: string;
  /** Lines under the title: the ceremony id, the definition hash. */
  subtitle: readonly Inline[];
  /** Shown before the first section. */
  notices: NoticeBlock[];
  sections: Section[];
  /** Printed at the head of each page, beside the title (the kind of document, the ceremony). */
  runningHead: string;
  /** Printed at the foot of each page of the HTML (ceremony, definition hash, tool). */
  footer: string;
}

/**
 * The top-level sections, in the order both documents use. Every document has all of them,
 * so section n of the approved script and section n of the record are about the same thing.
 */
export const SECTION_KEYS = ['ceremony', 'roles', 'materials', 'steps', 'deviations', 'fingerprints', 'criteria', 'journal', 'sign-off', 'glossary'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export function sectionNumber(key: SectionKey): string {
  return String(SECTION_KEYS.indexOf(key) + 1);
}

export function code(text: string): Span {
  return { text, style: 'code' };
}

export function strong(text: string): Span {
  return { text, style: 'strong' };
}

export function muted(text: string): Span {
  return { text, style: 'muted' };
}

/** A line to write on, in a printed script or record. */
export function blank(): Span {
  return { text: '', style: 'blank' };
}

export function fields(rows: FieldsBlock['rows']): FieldsBlock {
  return { kind: 'fields', rows };
}

export function table(columns: readonly string[], rows: TableBlock['rows']): TableBlock {
  return { kind: 'table', columns, rows };
}

export function paragraph(text: Content): ParagraphBlock {
  return { kind: 'paragraph', text };
}

export function list(items: readonly Content[]): ListBlock {
  return { kind: 'list', items };
}

export function notice(tone: NoticeBlock['tone'], text: Content): NoticeBlock {
  return { kind: 'notice', tone, text };
}

export function topSection(key: SectionKey, title: string, blocks: Block[], sections: Section[] = []): Section {
  return { anchor: `section-${key}`, number: sectionNumber(key), title, blocks, sections };
}

/** The plain text of a value, for checks and for places that take no styling. */
export function plainText(content: Content): string {
  const lines: readonly Inline[] = Array.isArray(content) ? content : [content as Inline];
  return lines.map((line) => (typeof line === 'string' ? line : line.style === 'blank' ? '____' : line.text)).join('\n');
}
