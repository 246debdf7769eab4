// Journal records made by hand for screens that read the journal (the deviations step, the
// closing read-aloud, the resume notice): numbered in order, unchained (prev and hash empty),
// which is all a screen reads. The chain itself is tested in test/journal.
import type { JournalRecord } from '../../../src/journal/record.js';

export type MakeRecord = (event: string, step: string | null, who?: string[], data?: Record<string, unknown>, time?: string) => JournalRecord;

/** A maker of records numbered from 1; each record's time is `time` given, else `timeOf(seq)`. */
export function journalRecords(timeOf: (seq: number) => string = () => '2025-05-01T10:00:00+08:00'): MakeRecord {
  let seq = 0;
  return (event, step, who = [], data = {}, time) => {
    seq += 1;
    return { seq, time: time ?? timeOf(seq), step, event, who, data, prev: '', hash: '' };
  };
}
