// The document as one self-contained HTML file for the evidence archive and for printing
// on A4: inline style sheet, no script, no external resource (a Content-Security-Policy
// says so, too, so a browser would refuse one even if it slipped in). Every text is
// escaped: names and values from the ceremony are shown, never interpreted (a control
// character as `\u001b`).
import type { Block, CeremonyDocument, Content, Inline, NoticeBlock, Section, SignatureBlock } from './document.js';
import { escapeControlCharacters } from '../util/control-characters.js';
import { styleSheet } from './html-style.js';
import { messages } from './i18n.js';

const LONG_WORD = /\S{33,}/;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return escapeControlCharacters(text, { keepNewlines: true }).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function renderHtml(doc: CeremonyDocument): string {
  const t = messages(doc.lang);
  const toc = doc.sections.map((s) => `<li><a href="#${escapeHtml(s.anchor)}">${escapeHtml(s.title)}</a></li>`).join('');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(t.htmlLang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>\n${styleSheet({ left: doc.title, right: doc.runningHead }, doc.footer)}\n</style>`,
    '</head>',
    `<body class="${doc.kind}">`,
    '<header>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="subtitle">${lines(doc.subtitle)}</p>`,
    ...doc.notices.map((n) => renderNotice(doc, n)),
    // A one-page letter needs no table of contents.
    doc.kind === 'letter' ? '' : `<nav class="toc" aria-label="${escapeHtml(t.contents)}"><ol>${toc}</ol></nav>`,
    '</header>',
    '<main>',
    ...doc.sections.map((section) => renderSection(doc, section, 2)),
    '</main>',
    `<footer class="doc-footer">${escapeHtml(doc.footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderSection(doc: CeremonyDocument, section: Section, level: number): string {
  const number = section.number === '' ? '' : `<span class="number">${escapeHtml(section.number)}.</span> `;
  const className = level > 2 ? ' class="step"' : '';
  return [
    `<section id="${escapeHtml(section.anchor)}"${className}>`,
    `<h${level}>${number}${escapeHtml(section.title)}</h${level}>`,
    ...section.blocks.map((block) => renderBlock(doc, block)),
    ...section.sections.map((sub) => renderSection(doc, sub, level + 1)),
    '</section>',
  ].join('\n');
}

function renderBlock(doc: CeremonyDocument, block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${lines(block.text)}</p>`;
    case 'fields':
      return fieldsTable(block.rows);
    case 'table': {
      const head = block.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
      const body = block.rows.map((cells) => `<tr>${block.columns.map((_, i) => `<td>${lines(cells[i] ?? '')}</td>`).join('')}</tr>`).join('\n');
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
    }
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${lines(item)}</li>`).join('')}</ul>`;
    case 'notice':
      return renderNotice(doc, block);
    case 'signatures':
      return [`<div class="signatures">`, `<p class="statement">${escapeHtml(block.statement)}</p>`, ...block.signatures.map(renderSignature), '</div>'].join(
        '\n',
      );
    case 'glossary':
      return `<dl class="glossary">${block.terms.map((term) => `<dt>${escapeHtml(term.term)}</dt><dd>${escapeHtml(term.definition)}</dd>`).join('')}</dl>`;
  }
}

function renderNotice(doc: CeremonyDocument, block: NoticeBlock): string {
  const t = messages(doc.lang);
  const label = block.tone === 'warning' ? t.noticeLabels.warning : t.noticeLabels.info;
  return `<div class="notice ${block.tone}"><span class="label">${escapeHtml(label)}:</span> ${lines(block.text)}</div>`;
}

function renderSignature(signature: SignatureBlock): string {
  return [
    '<div class="signature">',
    `<p class="signer">${escapeHtml(signature.title)}</p>`,
    signature.facts.length > 0 ? fieldsTable(signature.facts) : '',
    ...signature.blanks.map((label) => `<div class="blank"><span class="blank-label">${escapeHtml(label)}</span><span class="blank-line"></span></div>`),
    '</div>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function fieldsTable(rows: ReadonlyArray<readonly [string, Content]>): string {
  const body = rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${lines(value)}</td></tr>`).join('\n');
  return `<table class="fields"><tbody>\n${body}\n</tbody></table>`;
}

function lines(value: Content): string {
  const all: readonly Inline[] = typeof value === 'string' || !Array.isArray(value) ? [value as Inline] : value;
  return all.map(inline).join('<br>');
}

function inline(span: Inline): string {
  if (typeof span === 'string') return escapeHtml(span);
  switch (span.style) {
    case 'code':
      // A long unbroken value (a PKCS#11 URI, a path) may break anywhere, so it cannot widen
      // a table past the page; short ones (ids, roles) stay whole.
      return LONG_WORD.test(span.text) ? `<code class="long">${escapeHtml(span.text)}</code>` : `<code>${escapeHtml(span.text)}</code>`;
    case 'strong':
      return `<strong>${escapeHtml(span.text)}</strong>`;
    case 'muted':
      return `<span class="muted">${escapeHtml(span.text)}</span>`;
    case 'blank':
      return '<span class="write-in"></span>';
  }
}
