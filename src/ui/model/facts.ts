// What each step is about to do, in plain words, before anyone approves it: the token and
// key, what will be signed (subject, issuer, validity, key, extensions), the share sets.
// From the definition, the machine's context, and context.prepared (facts an actor gathered
// before approval, e.g. the certificate to be issued or the key to be destroyed). What is
// particular to a step type comes from its spec (`screenNotes`, `screenFacts`), which this
// lends the screen's words and namings.
import { credentialTitle, type Step } from '../../definition/definition.js';
import { specOf } from '../../steps/index.js';
import type { ScreenFactKit } from '../../steps/spec-types.js';
import { fingerprintLines } from '../components/fingerprint.js';
import { describeAlgorithm } from '../../util/key-algorithm.js';
import { pick } from '../i18n/index.js';
import { implicitCustodians, splitCredentials } from './approval.js';
import { screenTime, screenZone } from './clock.js';
import type { Block, Fact } from './blocks.js';
import { hsmIdentity, identityText } from './hsm-identity.js';
import { deviationBlocks, stepName, type DeviationNames } from './closing.js';
import { personLabel, personName, roleName } from './people.js';
import type { ProblemNames } from '../i18n/problems.js';
import { preparedBlocks } from './prepared.js';
import { ceremonyTimeZone } from './clock.js';
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
  return splitCredentials(sc, step).flatMap(({ credential, role, of, threshold }) => {
    const custodians = implicitCustodians(sc, { role, of });
    return [
      {
        label: t('facts.newShares'),
        value: t('facts.newSharesValue', {
          credential: credentialTitle(sc.definition, credential, sc.lang),
          quorum: t('facts.quorumValue', { k: threshold, n: of }),
        }),
      },
      {
        label: t('facts.custodians'),
        // When the role's holders are not exactly as many as the shares, the custodians are named
        // in the form below: listing every holder read as ten custodians of a 5-share set (review M2).
        value: custodians ? custodians.map((id) => personLabel(sc, id)).join(t('list.separator')) : t('facts.custodiansNamedBelow', { n: of }),
      },
    ];
  });
}

/** The screen's words and namings, lent to the step's spec for its notes and facts. */
function factKit(sc: ScreenContext, step: Step): ScreenFactKit {
  return {
    lang: sc.lang,
    t: sc.t,
    definition: sc.definition,
    context: sc.context,
    token: (name) => tokenText(sc, name),
    key: (label) => keyFacts(sc, label),
    credential: (name) => credentialFacts(sc, name),
    newShares: () => splitFacts(sc, step),
    dn: distinguishedName,
    person: (id) => personName(sc.context, id),
    stepName: (id) => stepName(sc.t, sc.definition, sc.lang, id),
    deviationsListed: sc.deviations !== undefined,
  };
}

/** People by name and steps by number and title, in the deviation lines. */
export function deviationNames(sc: ScreenContext): DeviationNames {
  return {
    person: (id) => personName(sc.context, id),
    step: (id) => stepName(sc.t, sc.definition, sc.lang, id),
    role: (id) => roleName(sc.definition, id, sc.lang),
    credential: (id) => credentialTitle(sc.definition, id, sc.lang),
    time: (iso, shape = 'time') => screenTime(iso, screenZone(sc), shape),
  };
}

/** How a refusal's sentence names people, roles and steps: as the deviation lines do. */
export const problemNames = (sc: ScreenContext): ProblemNames => deviationNames(sc);

/** What the step screen shows above its form. */
export function stepBlocks(sc: ScreenContext, step: Step): Block[] {
  const blocks: Block[] = [];
  // Instructions come before the action: a step whose shares are being entered showed them
  // on the share-entry screen, before the first share, and does not repeat them after.
  const sharesIn = sc.context.shares?.step === step.id && sc.context.shares.accepted.length > 0;
  const spec = specOf(step);
  const kit = factKit(sc, step);
  // The token the step works on, as PKCS#11 reports it (label, serial, model, firmware).
  const identity = hsmIdentity(sc, step);
  const hsmFacts = identity ? [{ label: sc.t('facts.hsm'), value: identityText(sc.t, identity) }] : [];
  const initialises = spec.initialises?.(step);
  // Before a token is erased, the warning and which token it is (label, serial, model) come
  // first, above the instructions: at 80x24 they were on the second page, behind PgDn
  // (review16s item 4). The serial is asked to be compared only when the token reports one
  // (a blank SoftHSM token has none); the label is not printed: the witness types it from
  // the tag and the plan.
  if (initialises) {
    const serial = identity?.serial.trim();
    blocks.push({ kind: 'text', text: serial ? sc.t('initToken.erases', { serial }) : sc.t('initToken.erasesNoSerial'), tone: 'warn' });
    if (hsmFacts.length > 0) blocks.push({ kind: 'facts', facts: hsmFacts });
  }
  // Instructions come before the action: a step whose shares are being entered showed them
  // on the share-entry screen, before the first share, and does not repeat them after.
  if (step.instructions && !sharesIn) blocks.push({ kind: 'text', text: pick(step.instructions, sc.lang) });
  // The type's own lines: a statement to confirm, a warning, what to read aloud.
  blocks.push(...(spec.screenNotes?.(step, kit) ?? []));
  blocks.push(...preparedBlocks(sc.t, sc.context.prepared, ceremonyTimeZone(sc.definition)));
  blocks.push({ kind: 'facts', facts: [...(spec.screenFacts?.(step, kit) ?? []), ...(initialises ? [] : hsmFacts)] });
  // The deviations step lists every interruption, crash, refused share, failure, pause and
  // exception so far, from the journal: not only the exceptions this process saw.
  if (spec.listsDeviations === true && sc.deviations) blocks.push(...deviationBlocks(sc.t, sc.lang, sc.deviations(), deviationNames(sc)));
  return blocks;
}
