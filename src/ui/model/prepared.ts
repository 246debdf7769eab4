// What an actor gathered before approval (context.prepared: the certificate about to be
// issued, the key about to be destroyed, the token serials a record step compares with), as
// facts with catalogue labels: the journal's keys (csrSha256, spkiSha256, notBefore) are the
// engine's names, not words for the people at the terminal (issue 16 item 11).
import { fingerprintLines } from '../components/fingerprint.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import type { Block, Fact } from './blocks.js';
import { formatClock } from './clock.js';

/** Prepared times said as absolute dates in the ceremony's time zone (the journal keeps ISO). */
const TIMES = new Set(['thisUpdate', 'nextUpdate']);

/** Each key a prepare effect records (src/steps/<type>/run.ts `prepare`), with its label. */
export const PREPARED_LABELS = {
  what: 'prepared.what',
  serial: 'prepared.serial',
  subject: 'facts.subject',
  issuer: 'facts.issuer',
  key: 'prepared.key',
  csrSha256: 'prepared.csrSha256',
  csrWords: 'prepared.csrWords',
  proofOfPossession: 'prepared.proofOfPossession',
  profile: 'facts.profile',
  notBefore: 'prepared.notBefore',
  notAfter: 'prepared.notAfter',
  extensions: 'prepared.extensions',
  request: 'prepared.request',
  certificate: 'facts.certificate',
  certificateSha256: 'prepared.certificateSha256',
  spkiSha256: 'prepared.spkiSha256',
  label: 'prepared.label',
  token: 'facts.token',
  words: 'prepared.words',
  algorithm: 'facts.algorithm',
  uri: 'prepared.uri',
  id: 'prepared.id',
  inspectedAt: 'prepared.inspectedAt',
  early: 'prepared.early',
  crlNumber: 'prepared.crlNumber',
  thisUpdate: 'prepared.thisUpdate',
  nextUpdate: 'prepared.nextUpdate',
  revokedSerials: 'prepared.revokedSerials',
} as const satisfies Record<string, MessageKey>;

/** The fixed phrases prepare effects record as values (the journal keeps them in English). */
const PREPARED_VALUES: Readonly<Record<string, MessageKey>> = {
  'subordinate CA certificate': 'prepared.value.subordinate',
  'self-signed root certificate': 'prepared.value.selfSignedRoot',
  'link certificate': 'prepared.value.link',
  'the same (self-signed)': 'facts.selfSigned',
  'the request signature verifies with its own key': 'prepared.value.popVerified',
};

/** The label of a prepared fact; a key no catalogue knows is shown as it is, marked, rather than hidden. */
export function preparedLabel(t: Translate, name: string): string {
  return Object.hasOwn(PREPARED_LABELS, name) ? t(PREPARED_LABELS[name as keyof typeof PREPARED_LABELS]) : t('prepared.unlabelled', { name });
}

function valueText(t: Translate, name: string, value: string | number | boolean, timeZone: string | undefined): string {
  if (typeof value === 'string' && timeZone && TIMES.has(name) && !Number.isNaN(Date.parse(value))) return formatClock(new Date(value), timeZone);
  if (typeof value === 'boolean') return value ? t('prepared.yes') : t('prepared.no');
  if (typeof value === 'string' && Object.hasOwn(PREPARED_VALUES, value)) return t(PREPARED_VALUES[value]!);
  // Two lines of eight groups, like every fingerprint on screen.
  return /sha256$/i.test(name) && typeof value === 'string' ? fingerprintLines(value).join('\n') : String(value);
}

/** context.prepared, shown as its description text when it has one, else as its plain fields. */
export function preparedBlocks(t: Translate, prepared: Record<string, unknown> | undefined, timeZone?: string): Block[] {
  if (!prepared) return [];
  const blocks: Block[] = [];
  if (typeof prepared.ok === 'boolean') {
    blocks.push({
      kind: 'facts',
      facts: [
        {
          label: t('facts.checks'),
          value: prepared.ok ? t('facts.checksPassed') : t('facts.checksFailed', { problem: typeof prepared.problem === 'string' ? prepared.problem : '' }),
          tone: prepared.ok ? 'ok' : 'bad',
        },
      ],
    });
  }
  const facts: Fact[] = [];
  const pre: string[] = [];
  for (const [name, value] of Object.entries(prepared)) {
    if (name === 'ok' || name === 'problem') continue;
    // A request or certificate described in full (several lines) is preformatted text.
    if (typeof value === 'string' && (name === 'text' || value.includes('\n'))) pre.push(...value.split('\n'));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      facts.push({ label: preparedLabel(t, name), value: valueText(t, name, value, timeZone) });
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      facts.push({ label: preparedLabel(t, name), value: value.join(t('list.separator')) });
    else if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string')
      pre.push(...(value as { text: string }).text.split('\n'));
  }
  if (pre.length) blocks.push({ kind: 'pre', title: t('facts.prepared'), lines: pre });
  if (facts.length) blocks.push({ kind: 'facts', title: pre.length ? undefined : t('facts.prepared'), facts });
  return blocks;
}
