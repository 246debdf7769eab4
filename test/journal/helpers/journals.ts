// Journals built in memory (no files, no fsync) for the verification tests, and a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecord, OPENED_EVENT, SEALED_EVENT, type JournalEntry, type JournalHead, type JournalRecord } from '../../../src/journal/record.js';

export const FIXED_TIME = '2026-11-28T09:15:00.123+08:00';

export const HEADER = {
  definition: { file: 'hca-g3-keygen.yaml', sha256: 'd1d464c0'.repeat(8) },
  tool: { name: 'keyceremony', version: '0.1.0' },
  node: 'v20.20.2',
  os: 'linux 6.1 x64',
  tokens: [{ name: 'hca', label: 'HCA-G3', serial: '6a1f0c2e9b3d4e51' }],
};

/** The entries of a small key generation ceremony, between its header and its seal. */
export const CEREMONY: JournalEntry[] = [
  { step: 'sign-in', event: 'step.completed', who: ['alice', 'bob', 'carol'], data: { participants: 3 } },
  { step: 'inventory', event: 'record.entered', who: ['alice', 'bob'], data: { 'hsm-serial': 'HSM-0042', 'bag-number': 'A1234567' } },
  { step: 'unlock', event: 'quorum.reached', who: ['carol', 'dave', 'erin', 'bob'], data: { custodians: ['carol', 'dave', 'erin'], indexes: [1, 2, 4] } },
  {
    step: 'keygen',
    event: 'step.completed',
    who: ['alice', 'bob'],
    data: { label: 'HCA-G3', spki: { sha256: 'ab'.repeat(32) }, title: '醫事憑證管理中心 - G3' },
  },
  { step: 'csr', event: 'output.written', who: ['alice', 'bob'], data: { file: 'hca-g3.csr', sha256: 'cd'.repeat(32) } },
  { step: null, event: 'exception.recorded', who: ['bob'], data: { note: 'fire alarm test at 10:05, ceremony paused 4 minutes' } },
  { step: 'lock', event: 'step.completed', who: ['alice', 'bob'], data: {} },
];

export interface BuiltJournal {
  text: string;
  lines: string[];
  records: JournalRecord[];
  head: JournalHead;
}

/** Record 1 (ceremony.opened with `header`), then `entries`, then the seal if asked. */
export function buildJournal(entries: JournalEntry[] = CEREMONY, options: { seal?: boolean; header?: Record<string, unknown> } = {}): BuiltJournal {
  const all: JournalEntry[] = [{ step: null, event: OPENED_EVENT, who: [], data: options.header ?? HEADER }, ...entries];
  if (options.seal ?? true) all.push({ step: null, event: SEALED_EVENT, who: ['alice', 'bob'], data: { outcome: 'completed' } });
  const records: JournalRecord[] = [];
  const lines: string[] = [];
  for (const entry of all) {
    const { record, line } = createRecord(records.at(-1), entry, FIXED_TIME);
    records.push(record);
    lines.push(line);
  }
  const last = records.at(-1)!;
  return { text: journalText(lines), lines, records, head: { seq: last.seq, hash: last.hash } };
}

/** Lines as a journal file: each one ends with a newline. */
export function journalText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kc-journal-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
