// The style sheet of the HTML script and record: inlined, so the file is self-contained
// (it goes into the evidence archive and is opened on air-gapped machines), and written
// for A4 paper first: page margins and numbers, table headers repeated on every page, and
// no signature block, table row or step heading split across a page break.

/** Fonts that have Traditional Chinese glyphs, most likely first; the generic family last. */
export const FONT_STACK = '"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif';
const MONO_STACK = '"Noto Sans Mono CJK TC", "DejaVu Sans Mono", Menlo, Consolas, monospace';

/** A CSS string literal that holds any text and can never close the style element. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

export function styleSheet(header: { left: string; right: string }, footer: string): string {
  return `
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @top-left { content: ${cssString(header.left)}; font-family: ${FONT_STACK}; font-size: 7.5pt; color: #555; }
  @top-right { content: ${cssString(header.right)}; font-family: ${FONT_STACK}; font-size: 7.5pt; color: #555; }
  @bottom-left { content: ${cssString(footer)}; font-family: ${FONT_STACK}; font-size: 7.5pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-family: ${FONT_STACK}; font-size: 8pt; color: #555; }
}
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: ${FONT_STACK};
  font-size: 10pt;
  line-height: 1.45;
  color: #111;
  max-width: 190mm;
  margin: 0 auto;
  padding: 0 4mm;
}
h1 { font-size: 17pt; margin: 0 0 2mm; line-height: 1.25; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5px solid #333; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; orphans: 3; widows: 3; }
.subtitle { color: #333; margin-bottom: 4mm; }
code { font-family: ${MONO_STACK}; font-size: 0.92em; }
code.long { overflow-wrap: anywhere; word-break: break-all; }
.muted { color: #666; font-style: italic; }
.write-in { display: inline-block; width: 70mm; max-width: 100%; height: 1.2em; border-bottom: 0.8pt solid #111; }
nav.toc ol { columns: 2; margin: 2mm 0 4mm; padding-left: 6mm; }
nav.toc a { color: inherit; text-decoration: none; }
.notice { border-left: 4px solid #2563eb; background: #eff6ff; padding: 2mm 3mm; margin: 2mm 0; break-inside: avoid; }
.notice.warning { border-left-color: #b45309; background: #fff7ed; }
.notice .label { font-weight: bold; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #eee; }
table.fields th { width: 30%; background: #f6f6f6; font-weight: 600; }
section.step { break-inside: avoid; page-break-inside: avoid; border-top: 0.6pt dashed #bbb; }
section.step > h3 { margin-top: 3mm; }
#section-sign-off { break-before: page; page-break-before: always; }
.statement { margin-bottom: 3mm; }
.signature {
  display: inline-block;
  width: calc(50% - 3mm);
  box-sizing: border-box;
  vertical-align: top;
  margin: 0 2mm 4mm 0;
  padding: 2mm 3mm 3mm;
  border: 0.8pt solid #555;
  break-inside: avoid;
  page-break-inside: avoid;
}
.signature .signer { font-weight: bold; font-size: 10.5pt; margin: 0 0 1mm; }
.signature table.fields { font-size: 8.5pt; margin: 1mm 0; }
.signature .blank { display: flex; align-items: flex-end; margin-top: 6mm; }
.signature .blank .blank-label { white-space: nowrap; margin-right: 2mm; font-size: 9pt; }
.signature .blank .blank-line { flex: 1; border-bottom: 0.8pt solid #111; height: 1em; }
dl.glossary dt { font-weight: bold; margin-top: 2mm; break-after: avoid; }
dl.glossary dd { margin: 0.5mm 0 0 6mm; }
body.letter { font-size: 9.5pt; line-height: 1.35; }
body.letter h1 { font-size: 15pt; }
body.letter h2 { font-size: 11pt; margin: 4mm 0 1.5mm; }
body.letter table { font-size: 8.5pt; margin: 1mm 0 2mm; }
body.letter table.fields th { width: 22%; }
body.letter ul { margin: 1mm 0; padding-left: 5mm; font-size: 8.5pt; }
body.letter .signature .blank { margin-top: 4mm; }
footer.doc-footer { margin-top: 8mm; font-size: 8pt; color: #555; border-top: 0.6pt solid #999; padding-top: 1mm; }
@media print {
  body { max-width: none; padding: 0; }
  footer.doc-footer { display: none; }
  nav.toc { break-after: avoid; }
}
`.trim();
}
