// issue-crl: a CRL signed inside the HSM by the issuer's key, listing the revoked serials;
// written as one PEM output. Its number is the issuing key's CA ledger's last + 1, and a
// revoked serial the ledger does not know is refused. The ledger is required: a CRL number
// never comes from the clock (issue 17 item 5), so a definition without one is refused by
// validate, plan and run alike.
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, keyLabel, ledgerProduced, ledgerSpec, checkLedgerReferences, refineLedger } from '../shared/step-schema.js';
import { groupedHex } from '../../util/fingerprint.js';
import type { DefinitionScan, ScreenFactKit, StepSpec } from '../spec-types.js';
import type { Fact } from '../../ui/model/blocks.js';
import { REVOCATION_REASON_NAMES, normalSerial, serialProblem } from '../../ledger/ledger.js';

const revoked = z.strictObject({
  serial: z.string().regex(/^[0-9a-fA-F]+$/),
  reason: z.enum(REVOCATION_REASON_NAMES),
});
// The ledger spec, required. Only a missing ledger gets this message; a malformed one keeps zod's own.
const requiredLedger = z
  .strictObject(ledgerSpec.shape, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: a CRL is numbered by the issuing key\'s CA ledger (its last CRL number + 1), never by the clock; give ledger: { from: <the ledger input>, to: <the new ledger file> }, or for a key that signed before keyceremony ledger: { open: { lastCrlNumber: "<its last CRL number>", issuedSerials: <the serial-list input> }, to: <the new ledger file> } (docs/ledger-format.md)'
        : undefined,
  })
  .superRefine(refineLedger);
const schema = z.strictObject({
  ...common,
  type: z.literal('issue-crl'),
  key: keyLabel,
  issuer: z.string(),
  output: z.string(),
  nextUpdateDays: z.number().int().min(1).max(365, { error: 'must be at most 365: the CRL of a CA is valid for at most 365 days (BR §4.9.7)' }),
  revoked: z.array(revoked).optional(),
  ledger: requiredLedger,
});
export type IssueCrlStep = z.infer<typeof schema>;

/**
 * The serials a CRL step revokes, as validate, plan and run read them (issue 17): each a
 * certificate serial (positive, at most 20 octets) and each once, compared normalised (00AB
 * and ab are one serial), the repeat reported at both lines. The ledger checks come later:
 * known to it, and not revoked by an earlier CRL, which every CRL carries forward by itself.
 */
function checkRevokedSerials(step: IssueCrlStep, scan: DefinitionScan): void {
  const firstAt = new Map<string, number>();
  (step.revoked ?? []).forEach((r, i) => {
    const problem = serialProblem(r.serial);
    if (problem) scan.problem(scan.at('revoked', i, 'serial'), `serial ${r.serial} ${problem}`);
    const serial = normalSerial(r.serial);
    const earlier = firstAt.get(serial);
    if (earlier === undefined) {
      firstAt.set(serial, i);
      return;
    }
    const first = step.revoked![earlier]!.serial;
    scan.problem(scan.at('revoked', earlier, 'serial'), `revokes serial ${first}, which revoked[${i}] (${r.serial}) revokes too: list each serial once`);
    scan.problem(scan.at('revoked', i, 'serial'), `revokes serial ${r.serial}, which revoked[${earlier}] (${first}) revokes already: list each serial once`);
  });
}

/**
 * A ledger opened from the key's history (ledger.open), for the witnesses to confirm aloud:
 * as declared, and once prepare has read the list, its count and SHA-256 with the CRL number.
 */
function ledgerOpeningFacts(step: Pick<IssueCrlStep, 'ledger'>, { t, context }: ScreenFactKit): Fact[] {
  const open = step.ledger.open;
  if (!open) return [];
  const read = (context.prepared as { ledgerOpening?: { lastCrlNumber: string; issuedSerials: number; issuedSerialsSha256: string } } | undefined)
    ?.ledgerOpening;
  const value = read
    ? t('facts.ledgerOpeningValue', {
        lastCrlNumber: read.lastCrlNumber,
        next: (BigInt(read.lastCrlNumber) + 1n).toString(),
        count: read.issuedSerials,
        sha256: groupedHex(read.issuedSerialsSha256),
      })
    : t('facts.ledgerOpeningDeclared', { lastCrlNumber: open.lastCrlNumber, list: open.issuedSerials });
  return [{ label: t('facts.ledgerOpening'), value, tone: 'accent' }];
}

export const issueCrlSpec = {
  type: 'issue-crl',
  schema,
  screen: { busy: 'busy.sign' },
  sensitive: true,
  title: { en: 'Issue the CRL', 'zh-TW': '簽發憑證廢止清冊' },
  governedBy: ['key-usage'],
  login: keyLogin,
  produces: (step) => [{ name: step.output, kind: 'crl', field: ['output'] }, ...ledgerProduced(step)],
  // Before approval: the issuer's name, the CRL number, thisUpdate and nextUpdate, how many
  // serials are listed (run.ts prepare), and the token's anchor checked against the ledger.
  prepares: true,
  works: true,
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    scan.fileReference(scan.at('issuer'), step.issuer, ['certificate']);
    checkLedgerReferences(step.ledger, scan);
    checkRevokedSerials(step, scan);
  },
  scriptRows: (step, { t, code }) => [
    [t.key, code(step.key)],
    [t.issuer, code(step.issuer)],
    [t.nextUpdate, t.nextUpdateDays(step.nextUpdateDays)],
    ...(step.revoked && step.revoked.length > 0 ? [[t.revoked, step.revoked.map((r) => `${r.serial} (${r.reason})`)] as const] : []),
    ...(step.ledger.open ? [[t.ledgerOpening, t.ledgerOpeningDeclared(step.ledger.open.lastCrlNumber, step.ledger.open.issuedSerials)] as const] : []),
    [t.output, code(step.output)],
  ],
  screenNotes: (_step, { t }) => [{ kind: 'text', text: t('signing.readAloud'), tone: 'muted' }],
  // Read aloud after the CRL is signed, with its fingerprint: what it says, from the journal.
  resultFacts: (_step, result, { t, time }) => {
    const d = result.details as { number?: string; issuer?: string; thisUpdate?: string; nextUpdate?: string; revoked?: number } | undefined;
    if (!d?.number) return [];
    return [
      ...(d.issuer ? [{ label: t('facts.issuer'), value: d.issuer }] : []),
      { label: t('prepared.crlNumber'), value: d.number },
      ...(d.thisUpdate ? [{ label: t('prepared.thisUpdate'), value: time(d.thisUpdate) }] : []),
      ...(d.nextUpdate ? [{ label: t('prepared.nextUpdate'), value: time(d.nextUpdate) }] : []),
      ...(d.revoked !== undefined ? [{ label: t('prepared.revokedSerials'), value: String(d.revoked) }] : []),
    ];
  },
  screenFacts: (step, kit) => {
    const { t, key } = kit;
    // The issuer by its name is among the prepared facts (read from the certificate), not by its input id.
    return [
      ...key(step.key),
      // Once prepared, nextUpdate is said as a date among the prepared facts.
      ...(kit.context.prepared?.nextUpdate ? [] : [{ label: t('facts.nextUpdate'), value: t('facts.nextUpdateDays', { days: step.nextUpdateDays }) }]),
      {
        label: t('facts.revoked'),
        value: step.revoked?.length
          ? step.revoked.map((r) => t('common.aside', { text: r.serial, aside: r.reason })).join(t('list.separator'))
          : t('facts.noneRevoked'),
      },
      ...ledgerOpeningFacts(step, kit),
      { label: t('facts.output'), value: step.output },
    ];
  },
} satisfies StepSpec<IssueCrlStep>;
