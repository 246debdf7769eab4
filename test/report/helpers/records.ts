// Journal records made in memory for the report's unit tests: the events the engine
// writes, with the data shapes it writes them in, chained and hashed like the real thing,
// and read through readJournalEvents as the report reads a verified journal: a fixture that
// lacks a fact the engine writes (or holds one it does not) fails here, naming the record.
import { createRecord, type JournalEntry, type JournalEventRecord, type JournalRecord } from '../../../src/journal/record.js';
import { readJournalEvents, type JOURNAL_EVENTS, type JournalEventInput } from '../../../src/journal/events.js';

/** A ceremony.opened record's data, as the compiler checks it against the event's schema. */
export type HeaderData = JournalEventInput<typeof JOURNAL_EVENTS.opened>;
type TokensAtOpening = HeaderData['hsm']['tokens'];

export const PARTICIPANTS = [
  { id: 'alice', name: '王小明 Alice', roles: ['administrator'] },
  { id: 'wendy', name: '<script>alert(1)</script> 林美玲', roles: ['witness'] },
  { id: 'carol', name: '張淑芬 Carol', roles: ['custodian'] },
  { id: 'dave', name: '李建國 Dave', roles: ['custodian', 'auditor'] },
];

export function header(
  definitionSha256: string,
  tokens: TokensAtOpening = { test: { label: 'REPORT-TEST', state: 'to be initialised by this ceremony' } },
): HeaderData {
  return {
    ceremony: 'report-test',
    title: { en: 'HCA G3 rehearsal key generation', 'zh-TW': '醫事憑證管理中心第三代演練金鑰產製' },
    definition: { sha256: definitionSha256, file: 'test/report/fixtures/report.yaml' },
    tool: { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) },
    node: 'v20.20.2',
    os: { platform: 'linux', release: '6.1', arch: 'x64', hostname: 'ceremony-01' },
    timeZone: 'Asia/Taipei',
    hsm: {
      module: {
        path: '/usr/lib/softhsm/libsofthsm2.so',
        realPath: '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
        sha256: 'cd'.repeat(32),
        bytes: 891704,
        manufacturer: 'SoftHSM',
        description: 'Implementation of PKCS11',
        libraryVersion: '2.6',
        cryptokiVersion: '2.40',
      },
      profile: { file: 'hsm.yaml', sha256: 'ef'.repeat(32), dryRun: true },
      tokens,
    },
    inputs: {},
    shareSets: {},
  };
}

/** Chains entries after a ceremony.opened record, one minute apart from 09:00 Taipei time. */
export function records(openedData: HeaderData, entries: JournalEntry[]): JournalEventRecord[] {
  const all: JournalEntry[] = [{ step: null, event: 'ceremony.opened', who: [], data: openedData }, ...entries];
  const out: JournalRecord[] = [];
  all.forEach((entry, i) => {
    const minute = String(i).padStart(2, '0');
    out.push(createRecord(out.at(-1), entry, `2026-11-28T09:${minute}:00.000+08:00`).record);
  });
  return readJournalEvents(out);
}

export const signedIn: JournalEntry = {
  step: 'sign-in',
  event: 'participants.signed-in',
  who: PARTICIPANTS.map((p) => p.id),
  data: { index: 0, participants: PARTICIPANTS },
};
