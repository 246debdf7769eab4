// The blank share cards as one self-contained HTML file to print: one A6 card (landscape, a
// postcard that fits an envelope) per page, inline style, no script or outside resource,
// every text escaped. The character boxes are 4.6 mm: big enough to write a capital in.
//
// The set id is written on the card in one form only, the one every screen, refusal, manifest
// and report uses: its 8 characters as they stand (QWJ7B68Z), in 8 boxes of its own labelled
// "Set id", copied from the hand-out screen. Groups 1 and 2 of the share begin with its first
// and last four characters, each group then ending in its check character (QWJ78-B68ZX…):
// the note says so, so that a custodian comparing screen and card knows where to look, but the
// card never presents the grouped form as the set id (issue 16).
import { escapeHtml } from '../report/html.js';
import { FONT_STACK } from '../report/html-style.js';
import type { Lang } from '../util/lang.js';
import { cardRows, type ShareCard } from './share-cards.js';

/** A share set id is 8 characters (src/quorum/envelope.ts SET_ID_PATTERN). */
const SET_ID_LENGTH = 8;

const TEXT = {
  en: {
    htmlLang: 'en',
    title: (ceremony: string) => `Share cards: ${ceremony}`,
    card: 'Share card',
    keep: 'Keep sealed. Show it to no one.',
    ceremony: 'Ceremony',
    credential: 'Credential',
    shareLabel: 'Share',
    share: (k: number, n: number, m: number) => `${k} of ${n} (any ${m} of the ${n} open it)`,
    setId: 'Set id',
    setIdNote: '8 characters, as the screen shows it',
    custodian: 'Custodian',
    date: 'Date',
    reading:
      'Groups 1 and 2 begin with the set id: its first four characters, then its last four; the last character of each group is its check character (shaded). Write capitals.',
  },
  'zh-TW': {
    htmlLang: 'zh-Hant-TW',
    title: (ceremony: string) => `分持卡：${ceremony}`,
    card: '分持卡',
    keep: '請密封保管，勿示他人。',
    ceremony: '儀式',
    credential: '啟用資料',
    shareLabel: '分持碼',
    share: (k: number, n: number, m: number) => `第 ${k} 份，共 ${n} 份（任 ${m} 份可開啟）`,
    setId: '分持組編號',
    setIdNote: '8 個字元，依畫面所示抄寫',
    custodian: '保管人',
    date: '日期',
    reading: '第 1、2 段開頭為分持組編號：先為其前 4 個字元，再為其後 4 個字元；每段最後一個字元為檢查字元（灰底）。請以大寫書寫。',
  },
} as const;

const STYLE = `
@page { size: 148mm 105mm; margin: 5mm; } /* A6 landscape, in millimetres: Chromium knows no A6 keyword */
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${FONT_STACK}; color: #111; font-size: 8pt; }
.card { box-sizing: border-box; width: 138mm; height: 95mm; padding: 3mm 4mm; border: 0.4mm solid #333; break-after: page; page-break-after: always; overflow: hidden; }
.card:last-child { break-after: auto; page-break-after: auto; }
.head { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 0.3mm solid #333; padding-bottom: 1mm; }
.head h1 { font-size: 11pt; margin: 0; }
.keep { font-weight: bold; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0.6mm 3mm; margin: 1.5mm 0; }
dt { color: #444; }
dd { margin: 0; font-weight: bold; }
.fill { display: inline-block; min-width: 45mm; border-bottom: 0.3mm solid #333; height: 4mm; }
.rows { margin-top: 1.5mm; }
.row { display: flex; align-items: center; margin: 0 0 1.6mm; }
.no { width: 6mm; text-align: right; padding-right: 1.5mm; color: #444; font-variant-numeric: tabular-nums; }
.group { display: flex; margin-right: 2.2mm; }
.box { box-sizing: border-box; width: 4.6mm; height: 6mm; border: 0.25mm solid #333; margin-left: -0.25mm; }
.box.check { background: #e8e8e8; }
.setid { display: inline-flex; vertical-align: middle; margin-right: 2mm; }
.idbox { box-sizing: border-box; width: 4.6mm; height: 6mm; border: 0.25mm solid #333; margin-left: -0.25mm; }
.setid-note { font-weight: normal; color: #444; font-size: 7pt; }
.note { color: #444; font-size: 7pt; margin: 1mm 0 0; }
`;

function cardHtml(card: ShareCard, lang: Lang): string {
  const t = TEXT[lang];
  const rows = cardRows(card)
    .map((row) => {
      const groups = row.groupLengths
        .map(
          (length) => `<span class="group">${Array.from({ length }, (_, i) => `<span class="box${i === length - 1 ? ' check' : ''}"></span>`).join('')}</span>`,
        )
        .join('');
      return `<div class="row"><span class="no">${row.first}</span>${groups}</div>`;
    })
    .join('\n');
  return [
    `<section class="card" data-credential="${escapeHtml(card.credential)}" data-share="${card.index}">`,
    `<div class="head"><h1>${escapeHtml(t.card)}</h1><span class="keep">${escapeHtml(t.keep)}</span></div>`,
    '<dl>',
    `<dt>${escapeHtml(t.ceremony)}</dt><dd>${escapeHtml(card.ceremony)}</dd>`,
    `<dt>${escapeHtml(t.credential)}</dt><dd>${escapeHtml(card.credentialTitle)}</dd>`,
    `<dt>${escapeHtml(t.setId)}</dt><dd><span class="setid">${'<span class="idbox"></span>'.repeat(SET_ID_LENGTH)}</span><span class="setid-note">${escapeHtml(t.setIdNote)}</span></dd>`,
    `<dt>${escapeHtml(t.shareLabel)}</dt><dd>${escapeHtml(t.share(card.index, card.count, card.threshold))}</dd>`,
    `<dt>${escapeHtml(t.custodian)}</dt><dd><span class="fill"></span></dd>`,
    `<dt>${escapeHtml(t.date)}</dt><dd><span class="fill"></span></dd>`,
    '</dl>',
    `<div class="rows">\n${rows}\n</div>`,
    `<p class="note">${escapeHtml(t.reading)} · ${escapeHtml(card.ceremonyId)} · ${escapeHtml(card.step)}</p>`,
    '</section>',
  ].join('\n');
}

export function renderCards(cards: readonly ShareCard[], lang: Lang): string {
  const t = TEXT[lang];
  return [
    '<!DOCTYPE html>',
    `<html lang="${t.htmlLang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(t.title(cards[0]?.ceremony ?? ''))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...cards.map((card) => cardHtml(card, lang)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
