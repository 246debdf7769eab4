// The document as CommonMark with GFM tables. Every text is escaped, so a participant
// named `<script>` or a value with `|` or `*` shows as typed and cannot become markup,
// a link or a broken table in whatever renders the file later; a control character (ESC,
// backspace: refused when typed, but an old journal may hold one) shows as `\u001b`.
import type { Block, CeremonyDocument, Content, Inline, Section, SignaturesBlock } from './document.js';
import { escapeControlCharacters } from '../util/control-characters.js';
import { messages, type Messages } from './i18n.js';

const BLANK_LINE = '______________________________';

export function renderMarkdown(doc: CeremonyDocument): string {
  const t = messages(doc.lang);
  const out: string[] = [`# ${escapeText(doc.title)}`, '', lines(doc.subtitle)];
  for (const n of doc.notices) out.push('', notice(t, n.tone, n.text));
  for (const section of doc.sections) out.push('', ...renderSection(t, section, 2));
  out.push('', '---', '', `_${escapeText(doc.footer)}_`, '');
  return out.join('\n');
}

function renderSection(t: Messages, section: Section, level: number): string[] {
  // The number is ours and safe; escaping it (`4\.`) would only make the source harder to read.
  const number = section.number === '' ? '' : `${section.number}. `;
  const out = [`${'#'.repeat(level)} ${number}${escapeText(section.title)}`];
  for (const block of section.blocks) out.push('', renderBlock(t, block));
  for (const sub of section.sections) out.push('', ...renderSection(t, sub, level + 1));
  return out;
}

function renderBlock(t: Messages, block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return lines(block.text);
    case 'fields':
      return block.rows.map(([label, value]) => listItem(`**${escapeText(label)}**${escapeText(t.colon)}`, value)).join('\n');
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'list':
      return block.items.map((item) => listItem('', item)).join('\n');
    case 'notice':
      return notice(t, block.tone, block.text);
    case 'signatures':
      return renderSignatures(t, block);
    case 'glossary':
      return block.terms.map((term) => `- **${escapeText(term.term)}**${escapeText(t.colon)}${escapeText(term.definition)}`).join('\n');
  }
}

function renderTable(columns: readonly string[], rows: ReadonlyArray<readonly Content[]>): string {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    row(columns.map((column) => escapeText(column))),
    row(columns.map(() => '---')),
    // A cell is one line of Markdown: its lines are joined with <br>, the one tag GFM tables need.
    ...rows.map((cells) =>
      row(
        columns.map(
          (_, i) =>
            asLines(cells[i] ?? '')
              .map((line) => inline(line, true))
              .join('<br>') || ' ',
        ),
      ),
    ),
  ].join('\n');
}

function renderSignatures(t: Messages, block: SignaturesBlock): string {
  const out = [lines(block.statement)];
  for (const signature of block.signatures) {
    out.push('', `**${escapeText(signature.title)}**`, '');
    const items = [
      ...signature.facts.map(([label, value]) => listItem(`${escapeText(label)}${escapeText(t.colon)}`, value)),
      ...signature.blanks.map((label) => `- ${escapeText(label)}${escapeText(t.colon)}${BLANK_LINE}`),
    ];
    out.push(items.join('\n'));
  }
  return out.join('\n');
}

function notice(t: Messages, tone: 'info' | 'warning', text: Content): string {
  const label = tone === 'warning' ? t.noticeLabels.warning : t.noticeLabels.info;
  return asLines(text)
    .map((line, i) => `> ${i === 0 ? `**${escapeText(label)}**${escapeText(t.colon)}${inline(line, false)}` : lineStart(line)}`)
    .join('\\\n');
}

/** A bullet whose value may run over several lines (backslash hard breaks, indented). */
function listItem(prefix: string, value: Content): string {
  return `- ${prefix}${asLines(value)
    .map((line, i) => (i === 0 ? inline(line, false) : lineStart(line)))
    .join('\\\n  ')}`;
}

/** Lines of one paragraph, joined with backslash hard breaks (trailing spaces get stripped by editors). */
function lines(value: Content): string {
  return asLines(value).map(lineStart).join('\\\n');
}

function asLines(value: Content): readonly Inline[] {
  // Array.isArray narrows a readonly array to any[]: the type is said again.
  return typeof value === 'string' || !Array.isArray(value) ? [value as Inline] : (value as readonly Inline[]);
}

// Text that begins a Markdown line could start a block: a heading, a list, a quote, a rule.
const LINE_START_SPECIAL = /^(\s*)([#+\-=]|\d+[.)])/;

/** A line of inline content placed at the start of a Markdown line. */
function lineStart(span: Inline): string {
  // Underscores alone on a line would be a thematic break.
  if (typeof span !== 'string' && span.style === 'blank') return `\\${BLANK_LINE.slice(1)}`;
  const rendered = inline(span, false);
  return typeof span === 'string'
    ? rendered.replace(LINE_START_SPECIAL, (_m, space: string, mark: string) => `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}`)
    : rendered;
}

function inline(span: Inline, inTable: boolean): string {
  if (typeof span === 'string') return escapeText(span);
  switch (span.style) {
    case 'code':
      return codeSpan(span.text, inTable);
    case 'strong':
      return `**${escapeText(span.text)}**`;
    case 'muted':
      return `_${escapeText(span.text)}_`;
    case 'blank':
      // Not emphasis: a run of underscores with no text beside it does not open or close any.
      return BLANK_LINE;
  }
}

// Characters that can start markup anywhere in a line: emphasis, links, images, raw HTML,
// entities, code spans, table cells, strikethrough, backslash escapes.
const INLINE_SPECIAL = /[\\`*_[\]<>|&~!]/g;

/** Text as Markdown that shows exactly this text, on one line, every special character escaped. */
export function escapeText(text: string): string {
  return escapeControlCharacters(text.replace(/\r\n?|\n/g, ' ')).replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/**
 * A code span that holds any text: the fence is longer than any run of backticks inside
 * (CommonMark), and in a table `|` is escaped, which GFM undoes inside code spans too.
 */
function codeSpan(text: string, inTable: boolean): string {
  let body = escapeControlCharacters(text.replace(/\r\n?|\n/g, ' '));
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
