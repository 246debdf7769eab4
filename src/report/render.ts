// One entry point for both documents and both formats.
import { InputError } from '../errors.js';
import type { CeremonyDocument } from './document.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export type DocumentFormat = 'md' | 'html';

export function renderDocument(doc: CeremonyDocument, format: DocumentFormat): string {
  return format === 'html' ? renderHtml(doc) : renderMarkdown(doc);
}

/** `--format`: md (the default) or html. */
export function parseFormat(command: string, value: string | undefined): DocumentFormat {
  if (value === undefined || value === 'md' || value === 'html') return value ?? 'md';
  throw new InputError(`${command}: --format must be md or html, not "${value}"`, {
    hint: 'md is Markdown for review; html is one self-contained file that prints on A4',
  });
}
