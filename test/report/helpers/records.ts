// Journal records made in memory for the report's unit tests: the events the engine
// writes, with the data shapes it writes them in, chained and hashed like the real thing.
import { createRecord, type JournalEntry, type JournalRecord } from '../../../src/journal/record.js';

export const PARTICIPANTS = [
  { id: 'alice', name: '王小明 Alice', roles: ['administrator'] },
  { id: 'wendy', name: '<script>alert(1)</script> 林美玲', roles: ['witness'] },
  { id: 'carol', name: '張淑芬 Carol', roles: ['custodian'] },
  { id: 'dave', name: '李建國 Dave', roles: ['custodian', 'auditor'] },
];

export function header(
  definitionSha256: string,
  tokens: Record<string, unknown> = { test: { label: 'REPORT-TEST', state: 'to be initialised by this ceremony' } },
): Record<string, unknown> {
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
        manufacturer: 'SoftHSM',
        description: 'Implementation of PKCS11',
        libraryVersion: '2.6',
        cryptokiVersion: '2.40',
      },
      profile: { file: 'hsm.yaml', dryRun: true },
      tokens,
    },
    inputs: {},
    shareSets: {},
  };
}

/** Chains entries after a ceremony.opened record, one minute apart from 09:00 Taipei time. */
export function records(openedData: Record<string, unknown>, entries: JournalEntry[]): JournalRecord[] {
  const all: JournalEntry[] = [{ step: null, event: 'ceremony.opened', who: [], data: openedData }, ...entries];
  const out: JournalRecord[] = [];
  all.forEach((entry, i) => {
    const minute = String(i).padStart(2, '0');
    out.push(createRecord(out.at(-1), entry, `2026-11-28T09:${minute}:00.000+08:00`).record);
  });
  return out;
}

export const signedIn: JournalEntry = {
  step: 'sign-in',
  event: 'participants.signed-in',
  who: PARTICIPANTS.map((p) => p.id),
  data: { participants: PARTICIPANTS },
};
