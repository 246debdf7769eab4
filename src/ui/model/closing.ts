// The closing read-aloud (issue 16 item 2): the final journal hash in whole groups of four,
// two lines of eight that no 80-column screen splits, its PGP words, and every deviation
// the journal holds, before the UI exits, so the witnesses write it down from this screen.
import type { Deviation } from '../../ceremony/deviations.js';
import { fingerprintLines } from '../components/fingerprint.js';
import { wrapDisplay } from '../../util/text-width.js';
import type { Block } from './blocks.js';
import type { Translate } from '../i18n/index.js';

export interface Seal {
  hash: string;
  words: string;
}

/** One deviation on one line (wrapped when long): record, time, step, what, who, its own words. */
export function deviationText(t: Translate, d: Deviation, personName: (id: string) => string): string {
  const who = d.who.length ? t('deviation.who', { who: d.who.map(personName).join(t('list.separator')) }) : '';
  const detail = d.detail ? t('deviation.detail', { detail: d.detail }) : '';
  return t('deviation.line', { seq: d.seq, time: d.time.slice(11, 19), step: d.step ?? '—', what: t(`deviation.${d.kind}`) }) + who + detail;
}

export function deviationBlocks(t: Translate, deviations: readonly Deviation[], personName: (id: string) => string): Block[] {
  if (deviations.length === 0) return [{ kind: 'text', text: t('deviation.none'), tone: 'ok' }];
  return [
    { kind: 'text', text: t('deviation.count', { n: deviations.length }), tone: 'warn' },
    ...deviations.map((d): Block => ({ kind: 'text', text: `  ${deviationText(t, d, personName)}`, tone: 'plain' })),
  ];
}

export function closingBlocks(t: Translate, seal: Seal, deviations: readonly Deviation[], personName: (id: string) => string, width: number): Block[] {
  return [
    { kind: 'text', text: t('closing.title'), tone: 'accent' },
    { kind: 'pre', title: t('closing.hash'), lines: fingerprintLines(seal.hash).map((line) => `    ${line}`) },
    { kind: 'pre', title: t('closing.words'), lines: wrapDisplay(seal.words, width - 4).map((line) => `    ${line}`) },
    ...deviationBlocks(t, deviations, personName),
  ];
}
