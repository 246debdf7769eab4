// The two renderers: whatever text the journal holds shows as typed, never as markup, and
// the HTML is one self-contained file made for A4 and Traditional Chinese.
import t from 'tap';
import { blank, code, fields, list, muted, notice, paragraph, strong, table, topSection, type CeremonyDocument } from '../../src/report/document.js';
import { FONT_STACK, cssString } from '../../src/report/html-style.js';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { escapeText, renderMarkdown } from '../../src/report/markdown.js';
import { parseFormat } from '../../src/report/render.js';
import { caught } from '../helpers/errors.js';

const HOSTILE = '<script>alert(1)</script> 林美玲 | *bold* _it_ [link](http://x) `tick` & &amp; ~~s~~ ![img](y)';

function doc(overrides: Partial<CeremonyDocument> = {}): CeremonyDocument {
  return {
    kind: 'report',
    lang: 'en',
    title: 'Record: <b>title</b>',
    subtitle: [code('report-test'), 'sub'],
    notices: [notice('warning', HOSTILE)],
    sections: [
      topSection('ceremony', 'Ceremony', [
        fields([
          ['Name', HOSTILE],
          ['Lines', ['# not a heading', '1. not a list', '- not a bullet', blank()]],
          ['Code', code('a`b|c')],
        ]),
        table(['Who', 'What'], [[HOSTILE, ['line 1', code('x|y'), strong('s'), muted('m')]]]),
        paragraph(['+ plus', '> quote', '=== setext']),
        list([HOSTILE]),
      ]),
      topSection('sign-off', 'Sign-off', [
        { kind: 'signatures', statement: `I sign ${HOSTILE}`, signatures: [{ title: HOSTILE, facts: [['Roles', 'witness']], blanks: ['Signature', 'Date'] }] },
      ]),
      topSection('glossary', 'Glossary', [{ kind: 'glossary', terms: [{ term: '多人控管 (multiple person control)', definition: HOSTILE }] }]),
    ],
    runningHead: 'DRY RUN · "record" </style>',
    footer: 'footer </style><script>',
    ...overrides,
  };
}

t.test('Markdown escapes every character that could become markup, a link or a table cell', async (t) => {
  t.equal(
    escapeText(HOSTILE),
    '\\<script\\>alert(1)\\</script\\> 林美玲 \\| \\*bold\\* \\_it\\_ \\[link\\](http://x) \\`tick\\` \\& \\&amp; \\~\\~s\\~\\~ \\!\\[img\\](y)',
  );
  t.equal(escapeText('two\nlines\r\nhere'), 'two lines here', 'a value stays on its line');
  const md = renderMarkdown(doc());
  t.notMatch(md, /<script>/, 'no raw tag survives');
  t.notMatch(md, /(^|[^\\])<b>/);
  t.match(md, '# Record: \\<b\\>title\\</b\\>\n');
  t.match(md, '- **Name**: \\<script\\>alert(1)\\</script\\> 林美玲 \\| \\*bold\\*');
  t.match(
    md,
    '- **Lines**: # not a heading\\\n  1\\. not a list\\\n  \\- not a bullet\\\n  \\_____',
    'where a line starts, what would open a block is escaped',
  );
  t.match(md, '- **Code**: ``a`b|c``', 'a code span with a backtick gets a longer fence');
  t.match(md, '| \\<script\\>alert(1)\\</script\\> 林美玲 \\| \\*bold\\*', 'a pipe in a cell is escaped');
  t.match(md, '| line 1<br>`x\\|y`<br>**s**<br>_m_ |', 'lines of a cell are joined with <br>; a pipe in code is escaped in a table');
  t.match(md, '\\+ plus\\\n\\> quote\\\n\\=== setext');
  t.match(md, '**\\<script\\>alert(1)\\</script\\> 林美玲');
  t.match(md, '- Signature: ______________________________');
});

t.test('HTML escapes every text, and a participant named <script> renders as text', async (t) => {
  t.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const html = renderHtml(doc());
  t.notMatch(html, /<script/i, 'no script element, ever');
  t.notMatch(html, /<b>/);
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt; 林美玲 | *bold*');
  t.match(html, '<title>Record: &lt;b&gt;title&lt;/b&gt;</title>');
  t.equal(html.match(/<\/style>/g)?.length, 1, 'the footer cannot close the style element');
  t.match(html, '<code>a`b|c</code>');
  t.match(html, '<td>line 1<br><code>x|y</code><br><strong>s</strong><br><span class="muted">m</span></td>');
  t.match(html, '<div class="signature">\n<p class="signer">&lt;script&gt;');
});

t.test('HTML is self-contained, printable on A4, and asks for Traditional Chinese fonts', async (t) => {
  const html = renderHtml(doc({ lang: 'zh-TW' }));
  t.match(html, '<html lang="zh-Hant-TW">');
  t.match(html, '<meta charset="utf-8">');
  t.match(html, `content="default-src 'none'; style-src 'unsafe-inline'"`, 'a content security policy forbids scripts and external resources');
  t.notMatch(html, /\b(src|href)\s*=\s*"(?!#)/i, 'no external reference: only in-page anchors');
  t.notMatch(html, /@import|url\(/i);
  t.match(html, 'size: A4;');
  t.match(html, 'thead { display: table-header-group; }', 'table headers repeat on each page');
  t.match(html, 'tr { break-inside: avoid;');
  t.match(html, /\.signature \{[^}]*break-inside: avoid;/);
  t.match(FONT_STACK, /^"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif$/);
  t.match(html, `font-family: ${FONT_STACK}`);
  t.match(html, '@bottom-right { content: counter(page) " / " counter(pages);');
  t.equal(cssString('a"b\\c</style>'), '"a\\22 b\\5c c\\3c /style\\3e "');
});

t.test('--format is md or html', async (t) => {
  t.equal(parseFormat('report', undefined), 'md');
  t.equal(parseFormat('report', 'html'), 'html');
  const error = await caught(() => parseFormat('report', 'pdf'));
  t.equal(error.message, 'report: --format must be md or html, not "pdf"');
  t.equal(error.exitCode, 2);
});
