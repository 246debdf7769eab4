// The history as the report's document model, so the same renderers (Markdown, HTML) and
// their escaping apply: every name and value comes from a journal and is shown as text.
import {
  code,
  fields,
  list,
  muted,
  notice,
  paragraph,
  strong,
  table,
  type Block,
  type CeremonyDocument,
  type Content,
  type Inline,
  type Section,
} from '../report/document.js';
import type { Lang } from '../util/lang.js';
import type { At, OutputFact } from './facts.js';
import type { Finding, History, KeyLife } from './history.js';
import { historyMessages, type HistoryMessages } from './i18n.js';

const SECTIONS = ['ceremonies', 'findings', 'inputs', 'keys', 'shareSets', 'tokens', 'seals'] as const;

function section(t: HistoryMessages, key: (typeof SECTIONS)[number], blocks: Block[], sections: Section[] = []): Section {
  return { anchor: `section-${key}`, number: String(SECTIONS.indexOf(key) + 1), title: t.sections[key], blocks, sections };
}

export function buildHistoryDocument(history: History, lang: Lang, tool: string): CeremonyDocument {
  const t = historyMessages(lang);
  const count = history.findings.length;
  return {
    kind: 'history',
    lang,
    title: t.title,
    subtitle: [t.subtitle(history.ceremonies.length)],
    notices: [
      count === 0 ? notice('info', t.clean) : notice('warning', t.flagged(count)),
      ...(history.ceremonies.some((c) => c.dryRun) ? [notice('info', t.dryRun)] : []),
    ],
    sections: [
      section(t, 'ceremonies', [ceremoniesTable(t, history, lang)]),
      section(t, 'findings', [count === 0 ? paragraph(t.noFindings) : list(history.findings.map((f) => findingText(t, f)))]),
      section(t, 'inputs', [inputsTable(t, history)]),
      section(
        t,
        'keys',
        history.keys.length === 0 ? [paragraph(t.none)] : [],
        history.keys.map((key, i) => keySection(t, key, i)),
      ),
      section(t, 'shareSets', [shareSetsTable(t, history)]),
      section(t, 'tokens', [tokensTable(t, history)]),
      section(t, 'seals', [sealsTable(t, history)]),
    ],
    runningHead: t.runningHead,
    footer: t.footer(tool),
  };
}

function where(t: HistoryMessages, at: At): string {
  return t.at(at.workdir, at.step, at.seq);
}

function who(t: HistoryMessages, at: At): Content {
  const lines: Inline[] = [];
  if (at.performer) lines.push(at.performer);
  if (at.witnesses.length > 0) lines.push(t.witnessed(at.witnesses.join(', ')));
  return lines.length === 0 ? muted(t.none) : lines;
}

function ceremoniesTable(t: HistoryMessages, history: History, lang: Lang): Block {
  const c = t.columns;
  return table(
    [c.number, c.ceremony, c.workdir, c.opened, c.status, c.finalHash],
    history.ceremonies.map((ceremony, i) => [
      String(i + 1),
      [ceremony.title?.[lang] ?? ceremony.ceremony, code(ceremony.ceremony)],
      code(ceremony.name),
      ceremony.opened,
      ceremony.sealed === 'completed' ? t.statuses.completed : ceremony.sealed === 'aborted' ? t.statuses.aborted : t.statuses.open,
      code(ceremony.finalHash),
    ]),
  );
}

function inputsTable(t: HistoryMessages, history: History): Block {
  const c = t.columns;
  if (history.inputs.length === 0) return paragraph(t.none);
  return table(
    [c.ceremony, c.input, c.kind, c.sha256, c.producedBy],
    history.inputs.map((link) => [
      code(link.at.workdir),
      code(link.name),
      t.fileKind(link.kind),
      code(link.sha256),
      link.from ? [code(link.from.name), where(t, link.from.at)] : strong(t.unknownOrigin),
    ]),
  );
}

function keySection(t: HistoryMessages, key: KeyLife, index: number): Section {
  const f = t.keyFields;
  const c = t.columns;
  const origin = key.events.find((e) => e.kind === 'placed');
  const destroyed = key.events.find((e) => e.kind === 'destroyed');
  const facts = fields([
    [f.spki, key.spkiSha256 ? code(key.spkiSha256) : muted(t.none)],
    [f.algorithm, key.algorithm ?? t.none],
    [f.origin, origin ? where(t, origin.at) : strong(f.originUnknown)],
    [f.state, destroyed ? t.labelled(f.destroyed, where(t, destroyed.at)) : f.alive],
  ]);
  const events = table(
    [c.event, c.what, c.when, c.ceremony, c.who],
    key.events.map((e) => [t.keyEvents[e.kind], code(e.what), e.at.time, where(t, e.at), who(t, e.at)]),
  );
  const labels = key.labels.length > 0 ? key.labels.join(', ') : key.id;
  return {
    anchor: `key-${index + 1}`,
    number: `4.${index + 1}`,
    title: t.keyHeading(labels, key.tokens.length > 0 ? key.tokens.join(', ') : t.none),
    blocks: [facts, events],
    sections: [],
  };
}

function shareSetsTable(t: HistoryMessages, history: History): Block {
  const c = t.columns;
  if (history.shareSets.length === 0) return paragraph(t.none);
  return table(
    [c.setId, c.credential, c.threshold, c.custodians, c.created, c.replacedBy, c.usedIn],
    history.shareSets.map((set) => [
      code(set.setId),
      set.credential ?? t.none,
      set.created?.threshold !== undefined ? `${set.created.threshold} / ${set.created.count ?? '?'}` : t.none,
      set.created ? set.created.custodians.join(', ') : t.none,
      set.created ? [where(t, set.created.at), set.created.at.time] : muted(t.unknownOrigin),
      set.replacedBy ? [code(set.replacedBy.setId), where(t, set.replacedBy.at)] : t.none,
      set.uses.length > 0 ? set.uses.map((use) => where(t, use)) : t.none,
    ]),
  );
}

function tokensTable(t: HistoryMessages, history: History): Block {
  const c = t.columns;
  if (history.tokens.length === 0) return paragraph(t.none);
  return table(
    [c.label, c.serial, c.model, c.firmware, c.ceremonies],
    history.tokens.map((token) => [
      code(token.label),
      token.serial ? code(token.serial) : t.none,
      token.model ?? t.none,
      token.firmware ?? t.none,
      token.ceremonies.map((name) => code(name)),
    ]),
  );
}

function sealsTable(t: HistoryMessages, history: History): Block {
  const c = t.columns;
  if (history.seals.length === 0) return paragraph(t.none);
  return table(
    [c.object, c.sealedOut, c.openedIn, c.result],
    history.seals.map((link) => [
      code(link.object),
      link.out ? [code(link.out.value), where(t, link.out.at)] : t.none,
      link.in
        ? [code(link.in.value), where(t, link.in.at)]
        : link.next
          ? [muted(t.none), t.labelled(t.seal.resealed, `${link.next.value}${t.comma}${where(t, link.next.at)}`)]
          : t.none,
      link.problem === 'mismatch'
        ? strong(t.seal.mismatch)
        : link.problem === 'gap'
          ? strong(t.seal.gap)
          : link.in && link.out
            ? t.seal.match
            : link.out
              ? t.seal.open
              : t.none,
    ]),
  );
}

function outputName(t: HistoryMessages, output: OutputFact): string {
  return t.aside(output.name, where(t, output.at));
}

export function findingText(t: HistoryMessages, finding: Finding): string {
  const f = t.findings;
  switch (finding.kind) {
    case 'journal':
      return f.journal(finding.workdir, finding.message);
    case 'file':
      return f.file(finding.workdir, finding.message);
    case 'same-journal':
      return f.sameJournal(finding.workdirs[0], finding.workdirs[1]);
    case 'input-unknown':
      return f.inputUnknown(finding.input, where(t, finding.at), finding.sha256, finding.unconsumed.map((o) => outputName(t, o)).join(t.list));
    case 'input-later':
      return f.inputLater(finding.input, where(t, finding.at), finding.output.name, where(t, finding.output.at));
    case 'input-kind':
      return f.inputKind(finding.input, where(t, finding.at), t.fileKind(finding.inputKind), outputName(t, finding.output), t.fileKind(finding.output.kind));
    case 'consumed-twice':
      return f.consumedTwice(finding.output.name, where(t, finding.output.at), finding.by.map((at) => where(t, at)).join(t.list));
    case 'ledger-fork':
      return f.ledgerFork(
        finding.output?.name ?? finding.input,
        finding.output ? where(t, finding.output.at) : t.unknownOrigin,
        finding.sha256,
        finding.by.map((at) => where(t, at)).join(t.and),
      );
    case 'key-after-destruction':
      return f.keyAfterDestruction(
        finding.key,
        where(t, finding.destroyed),
        where(t, finding.used.at),
        t.aside(t.keyEvents[finding.used.kind], finding.used.what),
      );
    case 'set-after-rotation':
      return f.setAfterRotation(finding.setId, where(t, finding.rotated), where(t, finding.used));
    case 'token-serial':
      return f.tokenSerial(finding.label, finding.serials.map((s) => t.aside(s.serial, s.ceremonies.join(t.list))).join(t.semicolon));
    case 'seal-mismatch':
      return f.sealMismatch(
        finding.link.object,
        finding.link.out ? where(t, finding.link.out.at) : '?',
        finding.link.out?.value ?? '?',
        finding.link.in ? where(t, finding.link.in.at) : '?',
        finding.link.in?.value ?? '?',
      );
    case 'seal-gap':
      return f.sealGap(
        finding.link.object,
        finding.link.out ? t.aside(finding.link.out.value, where(t, finding.link.out.at)) : '?',
        finding.link.next ? t.aside(finding.link.next.value, where(t, finding.link.next.at)) : '?',
      );
  }
}
