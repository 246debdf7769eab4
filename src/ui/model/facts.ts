// What each step is about to do, in plain words, before anyone approves it: the token and
// key, what will be signed (subject, issuer, validity, key, extensions), the share sets.
// From the definition, the machine's context, and context.prepared (facts an actor gathered
// before approval, e.g. the certificate to be issued or the key to be destroyed).
import { credentialTitle, type Step, type StepOf } from '../../definition/definition.js';
import { resultToConfirm } from '../../steps/confirm-result/spec.js';
import { specOf } from '../../steps/index.js';
import type { IssueCrlStep } from '../../steps/issue-crl/spec.js';
import { groupedHex } from '../../util/fingerprint.js';
import { fingerprintLines } from '../components/fingerprint.js';
import { defaultHash, describeAlgorithm, describeKeyToMake, keyAlgorithmOf } from '../../util/key-algorithm.js';
import { pick } from '../i18n/index.js';
import { defaultCustodians, splitCredentials } from './approval.js';
import type { Block, Fact } from './blocks.js';
import { hsmIdentity, identityText } from './hsm-identity.js';
import { deviationBlocks, stepName, type DeviationNames } from './closing.js';
import { personLabel, personName } from './people.js';
import { preparedBlocks } from './prepared.js';
import type { ScreenContext } from './screen-context.js';

export function distinguishedName(subject: Partial<Record<string, string>>): string {
  return Object.entries(subject)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function tokenText(sc: ScreenContext, token: string): string {
  const title = sc.definition.tokens[token]?.title;
  return title ? sc.t('common.aside', { text: pick(title, sc.lang), aside: token }) : token;
}

/**
 * A credential by its title, never its id (issue 16): a title the definition gives, with the
 * PIN and token it opens; else the title made of the token's title and the PIN's kind, which
 * already says both.
 */
function credentialText(sc: ScreenContext, credential: string): string {
  const { t, definition } = sc;
  const spec = definition.credentials[credential];
  const title = credentialTitle(definition, credential, sc.lang);
  if (!spec?.title) return title;
  return t('facts.credentialValue', { credential: title, pin: spec.user === 'so' ? t('facts.soPin') : t('facts.userPin'), token: tokenText(sc, spec.token) });
}

/** A key as the witnesses know it: label, algorithm, token, and its fingerprint once it exists. */
function keyFacts(sc: ScreenContext, label: string): Fact[] {
  const { t, context } = sc;
  const key = context.keys[label];
  const facts: Fact[] = [
    {
      label: t('facts.key'),
      value: key ? [label, describeAlgorithm(key.algorithm), t('facts.onToken', { token: tokenText(sc, key.token) })].join(t('list.comma')) : label,
    },
  ];
  if (key?.spkiSha256) facts.push({ label: t('facts.keySha256'), value: fingerprintLines(key.spkiSha256).join('\n') });
  return facts;
}

/**
 * The hash the CSR will be signed with, as the screen must say it: the step's own, else the
 * key's default (x509 algorithms.ts: SHA-256 for RSA, the curve's size for EC).
 */
function csrHash(sc: ScreenContext, step: { hash?: string | undefined; key: string }): string {
  if (step.hash) return step.hash;
  const algorithm = sc.context.keys[step.key]?.algorithm ?? sc.definition.keys[step.key]?.algorithm;
  return algorithm ? defaultHash(algorithm) : 'SHA-256';
}

function credentialFacts(sc: ScreenContext, credential: string): Fact[] {
  const { t, context, definition } = sc;
  const spec = definition.credentials[credential]!;
  const set = context.shareSets[credential];
  return [
    { label: t('facts.credential'), value: credentialText(sc, credential) },
    { label: t('facts.quorum'), value: t('facts.quorumValue', { k: spec.threshold, n: spec.of }) },
    ...(set
      ? [
          {
            label: t('facts.shareSet'),
            value: t('facts.shareSetValue', { setId: set.setId, custodians: set.custodians.map((c) => personLabel(sc, c)).join(t('list.separator')) }),
          },
        ]
      : []),
  ];
}

function splitFacts(sc: ScreenContext, step: Step): Fact[] {
  const { t } = sc;
  return splitCredentials(sc, step).flatMap(({ credential, role, of, threshold }) => [
    {
      label: t('facts.newShares'),
      value: t('facts.newSharesValue', {
        credential: credentialTitle(sc.definition, credential, sc.lang),
        quorum: t('facts.quorumValue', { k: threshold, n: of }),
      }),
    },
    {
      label: t('facts.custodians'),
      value:
        defaultCustodians(sc, role)
          .map((id) => personLabel(sc, id))
          .join(t('list.separator')) || '—',
    },
  ]);
}

function typeFacts(sc: ScreenContext, step: Step): Fact[] {
  const { t, context } = sc;
  switch (step.type) {
    case 'init-token':
      return [{ label: t('facts.token'), value: tokenText(sc, step.token) }, ...splitFacts(sc, step)];
    case 'split-credential':
    case 'rotate-credential':
      return [...credentialFacts(sc, step.credential), ...splitFacts(sc, step)];
    case 'unlock':
      return credentialFacts(sc, step.credential);
    case 'lock': {
      const tokens = step.token ? [step.token] : [...new Set([...Object.keys(context.sessions), ...Object.keys(context.relogin)])];
      return [{ label: t('facts.tokens'), value: tokens.map((tk) => tokenText(sc, tk)).join(t('list.separator')) || t('facts.noneLoggedIn') }];
    }
    case 'generate-key':
      return [
        { label: t('facts.token'), value: tokenText(sc, step.token) },
        { label: t('facts.label'), value: step.key.label },
        { label: t('facts.algorithm'), value: describeKeyToMake(keyAlgorithmOf(step.key)) },
        // A security officer must see it before generation: the key will not be never-extractable.
        ...(step.backup ? [{ label: t('facts.backup'), value: t('facts.backupExtractable'), tone: 'warn' as const }] : []),
      ];
    case 'create-csr':
      return [
        { label: t('facts.subject'), value: distinguishedName(step.subject) },
        ...keyFacts(sc, step.key),
        { label: t('facts.hash'), value: csrHash(sc, step) },
        { label: t('facts.output'), value: step.output },
      ];
    case 'self-sign':
      return [
        { label: t('facts.subject'), value: distinguishedName(step.subject) },
        { label: t('facts.issuer'), value: t('facts.selfSigned') },
        ...keyFacts(sc, step.key),
        { label: t('facts.validity'), value: step.validity ? t('facts.validityYears', { years: step.validity.years }) : t('facts.validityProfile') },
        { label: t('facts.profile'), value: step.profile },
        { label: t('facts.output'), value: step.output },
      ];
    case 'issue-certificate':
      return [
        { label: t('facts.csr'), value: step.csr },
        { label: t('facts.csrKey'), value: describeAlgorithm(step.csrKey) },
        ...(step.subject ? [{ label: t('facts.subject'), value: distinguishedName(step.subject) }] : []),
        { label: t('facts.issuer'), value: step.issuer },
        ...keyFacts(sc, step.key),
        { label: t('facts.profile'), value: step.profile },
        { label: t('facts.output'), value: step.output },
      ];
    case 'issue-crl':
      return [
        { label: t('facts.issuer'), value: step.issuer },
        ...keyFacts(sc, step.key),
        { label: t('facts.nextUpdate'), value: t('facts.nextUpdateDays', { days: step.nextUpdateDays }) },
        {
          label: t('facts.revoked'),
          value: step.revoked?.length
            ? step.revoked.map((r) => t('common.aside', { text: r.serial, aside: r.reason })).join(t('list.separator'))
            : t('facts.noneRevoked'),
        },
        ...ledgerOpeningFacts(sc, step),
        { label: t('facts.output'), value: step.output },
      ];
    case 'accept-certificate':
      return [
        { label: t('facts.certificate'), value: step.certificate },
        { label: t('facts.subject'), value: distinguishedName(step.subject) },
        ...keyFacts(sc, step.key),
        { label: t('facts.chain'), value: step.chain.join(t('list.separator')) },
        { label: t('facts.profile'), value: step.profile },
      ];
    case 'destroy-key':
      return keyFacts(sc, step.key);
    case 'exception':
      // With the journal at hand the deviations are listed in full below (stepBlocks).
      if (sc.deviations) return [];
      return [
        {
          label: t('facts.exceptions'),
          value: context.exceptions.length
            ? context.exceptions.map((e, i) => t('common.aside', { text: `${i + 1}. ${e.text}`, aside: personName(context, e.by) })).join(t('list.semicolon'))
            : t('facts.noExceptions'),
        },
      ];
    default:
      return [];
  }
}

/**
 * A ledger opened from the key's history (ledger.open), for the witnesses to confirm aloud:
 * as declared, and once prepare has read the list, its count and SHA-256 with the CRL number.
 */
function ledgerOpeningFacts(sc: ScreenContext, step: Pick<IssueCrlStep, 'ledger'>): Fact[] {
  const open = step.ledger.open;
  if (!open) return [];
  const { t } = sc;
  const read = (sc.context.prepared as { ledgerOpening?: { lastCrlNumber: string; issuedSerials: number; issuedSerialsSha256: string } } | undefined)
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

/** People by name and steps by number and title, in the deviation lines. */
export function deviationNames(sc: ScreenContext): DeviationNames {
  return { person: (id) => personName(sc.context, id), step: (id) => stepName(sc.t, sc.definition, sc.lang, id) };
}

function confirmResultBlocks(sc: ScreenContext, step: StepOf<'confirm-result'>): Block[] {
  const result = resultToConfirm(step.of, sc.context);
  const made = stepName(sc.t, sc.definition, sc.lang, step.of);
  const what = result ? sc.t(result.what === 'key' ? 'confirmResult.whatKey' : 'confirmResult.whatFile', { name: result.name, step: made }) : made;
  return [
    { kind: 'text', text: sc.t('confirmResult.what', { what }), tone: 'accent' },
    { kind: 'text', text: sc.t('confirmResult.typeBack'), tone: 'plain' },
  ];
}

/** What the step screen shows above its form. */
export function stepBlocks(sc: ScreenContext, step: Step): Block[] {
  const blocks: Block[] = [];
  // Instructions come before the action: a step whose shares are being entered showed them
  // on the share-entry screen, before the first share, and does not repeat them after.
  const sharesIn = sc.context.shares?.step === step.id && sc.context.shares.accepted.length > 0;
  if (step.instructions && !sharesIn) blocks.push({ kind: 'text', text: pick(step.instructions, sc.lang) });
  if (step.type === 'confirm') blocks.push({ kind: 'text', text: sc.t('confirm.statement', { text: pick(step.statement, sc.lang) }), tone: 'accent' });
  if (step.type === 'destroy-key') blocks.push({ kind: 'text', text: sc.t('destroy.warning'), tone: 'warn' });
  if (step.type === 'issue-certificate' || step.type === 'self-sign' || step.type === 'create-csr' || step.type === 'issue-crl')
    blocks.push({ kind: 'text', text: sc.t('signing.readAloud'), tone: 'muted' });
  if (step.type === 'issue-certificate') blocks.push({ kind: 'text', text: sc.t('signing.subscriberReads'), tone: 'muted' });
  // The result whose fingerprint the witness types back from the paper log: named, its
  // fingerprint not shown, so it is read from the record and not copied from the screen.
  if (step.type === 'confirm-result') blocks.push(...confirmResultBlocks(sc, step));
  // What the HSM will actually sign (read from the request or certificate) comes first;
  // what the script says about the step follows.
  const identity = hsmIdentity(sc, step);
  const initialises = specOf(step).initialises?.(step);
  if (initialises) blocks.push({ kind: 'text', text: sc.t('initToken.erases', { label: identity?.label ?? initialises }), tone: 'warn' });
  blocks.push(...preparedBlocks(sc.t, sc.context.prepared));
  blocks.push({ kind: 'facts', facts: [...typeFacts(sc, step), ...(identity ? [{ label: sc.t('facts.hsm'), value: identityText(sc.t, identity) }] : [])] });
  // The deviations step lists every interruption, crash, refused share, failure, pause and
  // exception so far, from the journal: not only the exceptions this process saw.
  if (step.type === 'exception' && sc.deviations) blocks.push(...deviationBlocks(sc.t, sc.deviations(), deviationNames(sc)));
  return blocks;
}
