// A forger's edit of a workdir's journal: records changed, then the whole hash chain computed
// again and state.json's journal head updated to match, so `journal verify` and `report`
// pass. What catches such a journal is outside it: the final hash on the paper log, and
// (history) the other ceremonies' journals that no longer agree with it, and the checkpoints
// the HSM signed (issue 20): a forger cannot sign them again, so by default the forgery drops
// them, as the best a forger can do (docs/journal-checkpoints.md: the journal then shows none).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRecord, type JournalRecord } from '../../src/journal/record.js';

/**
 * Rewrites the journal of `workdir`: `edit` may change each record's step, event, who, data
 * and time in place. The HSM-signed checkpoints are dropped unless `keepCheckpoints` (then they
 * are rehashed like any record, and no longer match what the HSM signed).
 */
export function rehashJournal(workdir: string, edit: (record: JournalRecord) => void, options: { keepCheckpoints?: boolean } = {}): void {
  const file = join(workdir, 'journal.jsonl');
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalRecord)
    .filter((record) => options.keepCheckpoints === true || record.event !== 'journal.checkpoint');
  const lines: string[] = [];
  let previous: JournalRecord | undefined;
  for (const original of records) {
    edit(original);
    const { record, line } = createRecord(previous, { step: original.step, event: original.event, who: original.who, data: original.data }, original.time);
    lines.push(line);
    previous = record;
  }
  writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
  const stateFile = join(workdir, 'state.json');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
  state.journalHead = { seq: previous!.seq, hash: previous!.hash };
  writeFileSync(stateFile, JSON.stringify(state));
}

/** A record's data with every occurrence of `from` in its strings replaced by `to`. */
export function replaceInData(record: JournalRecord, from: string, to: string): void {
  record.data = JSON.parse(JSON.stringify(record.data).split(from).join(to)) as Record<string, unknown>;
}

/** A journal time moved to `ms` milliseconds after `base` (both ISO 8601 with an offset; UTC out). */
export function timeAfter(base: string, ms: number): string {
  return new Date(Date.parse(base) + ms).toISOString().replace('Z', '+00:00');
}
