// One screen per view: the presentational screens get their data from the pure models and
// report through callbacks, which turn into machine events here (and only here).
import { credentialTitle, type Step } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import type { CeremonyEvent, Problem } from '../ceremony/types.js';
import type { ShareSetManifest } from '../quorum/index.js';
import { Tone } from './components/tone.js';
import { pick } from './i18n/index.js';
import { approvalEvent, approvalFields } from './model/approval.js';
import { deviationNames, problemNames, stepBlocks } from './model/facts.js';
import { closingWitnessField, custodianName, findParticipant, peopleFields, personName, roleLines, roleName, twoPeopleFields } from './model/people.js';
import { closingBlocks, deviationCounts, type Seal } from './model/closing.js';
import type { Deviation } from '../ceremony/deviations.js';
import { readoutOf, titleOf } from './model/record.js';
import { blockLines, type Block } from './model/blocks.js';
import { identityText } from './model/hsm-identity.js';
import type { ScreenContext } from './model/screen-context.js';
import type { View } from './model/view.js';
import { ApprovalScreen } from './screens/approval.js';
import { BusyScreen } from './screens/busy.js';
import { FailureScreen, type FailureChoice } from './screens/failure.js';
import { FinishedScreen } from './screens/finished.js';
import { HandoutScreen, type HandoutTarget } from './screens/handout.js';
import { ReadoutScreen } from './screens/readout.js';
import { ShareEntryScreen, type CustodianLine } from './screens/share-entry.js';
import { SignInScreen } from './screens/sign-in.js';
import { SignOffScreen } from './screens/sign-off.js';
import type { ShareDesk } from './share-desk.js';
import { hintText, problemText } from './problem-text.js';

export interface StepScreenProps {
  view: View;
  sc: ScreenContext;
  desk: ShareDesk;
  /** Sends an event; the refusal, if any, is shown by the caller and returned. */
  act: (event: CeremonyEvent) => Problem | undefined;
  onReadoutDone: (index: number) => void;
  onChoose: (choice: FailureChoice) => void;
  /** Wipes screen and scrollback after a share was shown. */
  onShareHidden: () => void;
  rows: number;
  width: number;
  /** The sealed journal, for the closing read-aloud before the UI exits (absent: no closing screen). */
  closing?: { seal: Seal; deviations: readonly Deviation[] } | undefined;
  /** The witness acknowledged the closing read-aloud. */
  onClosed?: (() => void) | undefined;
}

function goAhead(sc: ScreenContext, step: Step): string | undefined {
  const key = specOf(step).screen?.goAhead;
  return key ? sc.t(key) : undefined;
}

function busyText(sc: ScreenContext, view: Extract<View, { kind: 'busy' }>): string {
  const { t } = sc;
  if (view.activity === 'preparing') return t('busy.preparing');
  if (view.activity === 'splitting') return t('busy.splitting');
  if (view.activity === 'relogging') return t('busy.relogging');
  const busy = view.step ? specOf(view.step).screen?.busy : undefined;
  return t(busy ?? 'busy.working');
}

function manifestOrProblem(sc: ScreenContext, desk: ShareDesk, credential: string): ShareSetManifest | string {
  try {
    return desk.manifest(sc.context, credential);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Everything off the script so far, from the journal (else the exceptions this process knows), for the sign-off. */
function signOffDeviations(sc: ScreenContext): { count: number; kinds: string } {
  const kinds = sc.deviations?.().map((d) => d.kind) ?? sc.context.exceptions.map(() => 'exception' as const);
  return { count: kinds.length, kinds: deviationCounts(sc.t, kinds) };
}

/** The HSM token a credential opens, as PKCS#11 reports it (nothing when the HSM was not read). */
function tokenIdentityFacts(sc: ScreenContext, credential: string): Block {
  const token = sc.definition.credentials[credential]?.token;
  const identity = token ? sc.tokenIdentity?.(token) : undefined;
  return { kind: 'facts', facts: identity ? [{ label: sc.t('facts.hsm'), value: identityText(sc.t, identity) }] : [] };
}

/** The people who approve a login again after a restart: those of the unlock step that first logged in. */
function reloginStep(sc: ScreenContext, credential: string): Step | undefined {
  const session = Object.values(sc.context.relogin).find((s) => s.credential === credential);
  return sc.definition.steps.find((s) => s.id === session?.step);
}

/** New shares in the order they are handed out: custodian by custodian, so each sits down once. */
export function handoutOrder(sc: ScreenContext, step?: Step): { targets: HandoutTarget[]; done: number; total: number } {
  const sets = sc.context.distribution?.sets ?? [];
  const custodians = [...new Set(sets.flatMap((s) => s.custodians))];
  const all = custodians.flatMap((custodian) => sets.filter((s) => s.custodians.includes(custodian)).map((s) => ({ set: s, custodian })));
  const pending = all.filter(({ set, custodian }) => !set.confirmed.includes(custodian));
  const shapes = step ? (specOf(step).splits?.(step, sc.definition) ?? []) : [];
  const targets = pending.map(({ set, custodian }) => {
    const shape = shapes.find((s) => s.credential === set.credential);
    // A rotation, or a new split of a credential that has a set: until the step ends the context holds the set it replaces.
    const current = sc.context.shareSets[set.credential]?.setId;
    const replaces = current !== undefined && current !== set.setId ? current : undefined;
    return {
      credential: set.credential,
      credentialTitle: credentialTitle(sc.definition, set.credential, sc.lang),
      setId: set.setId,
      custodian,
      name: personName(sc.context, custodian),
      // custodians[0] holds share 1 (split() gives shares in the order custodians are named).
      index: set.custodians.indexOf(custodian) + 1,
      count: set.custodians.length,
      holders: set.custodians.map((c) => personName(sc.context, c)),
      threshold: shape?.threshold ?? sc.definition.credentials[set.credential]?.threshold ?? 0,
      ceremony: sc.definition.title[sc.lang],
      ...(replaces === undefined ? {} : { replaces }),
    };
  });
  // The counter is per credential: the set being handed out now, not every set of the step.
  const current = sets.find((s) => s.credential === targets[0]?.credential);
  return { targets, done: current?.confirmed.length ?? all.length - pending.length, total: current?.custodians.length ?? all.length };
}

export function StepScreen({ view, sc, desk, act, onReadoutDone, onChoose, onShareHidden, rows, width, closing, onClosed }: StepScreenProps) {
  const { t, context, definition } = sc;
  switch (view.kind) {
    case 'readout': {
      const readout = readoutOf(sc, view.index);
      return readout ? (
        <ReadoutScreen title={titleOf(readout.step, sc.lang)} entries={readout.entries} onDone={() => onReadoutDone(view.index)} width={width} rows={rows} />
      ) : null;
    }
    case 'finished':
      if (closing && onClosed) {
        return (
          <ApprovalScreen
            blocks={closingBlocks(t, sc.lang, closing.seal, closing.deviations, deviationNames(sc), width)}
            fields={[closingWitnessField(sc, t('closing.ack'))]}
            onSubmit={() => onClosed()}
            readToEnd
            rows={rows}
            width={width}
          />
        );
      }
      return <FinishedScreen status={view.status} />;
    case 'busy':
      return <BusyScreen doing={busyText(sc, view)} />;
    case 'failed':
      return (
        <FailureScreen
          stepTitle={titleOf(view.step, sc.lang)}
          message={problemText(sc.t, sc.lang, view.failure, problemNames(sc))}
          hint={hintText(sc.lang, view.failure)}
          finalTry={view.failure.code === 'hsm.pin-final-try'}
          twoPeople={twoPeopleFields(sc)}
          onRetry={(by, allowFinalTry) => act({ type: 'step.retry', step: view.step.id, by, ...(allowFinalTry ? { allowFinalTry: true } : {}) })}
          onChoose={onChoose}
          width={width}
          rows={rows}
        />
      );
    case 'participants':
      return (
        <SignInScreen
          instructions={view.step.instructions ? pick(view.step.instructions, sc.lang) : undefined}
          roles={roleLines(definition, sc.lang)}
          conflicts={definition.conflicts}
          onSubmit={(participants) => act({ type: 'participants.submit', step: view.step.id, participants })}
          rows={rows}
          width={width}
        />
      );
    case 'sign-offs': {
      const deviations = signOffDeviations(sc);
      // What a person's "apart from the n deviations" counted when they answered: the sign-offs'
      // own "no"s are deviations too, and only those given before theirs were on record then.
      const saidNo = sc.deviations?.().filter((d) => d.kind === 'not-followed').length ?? 0;
      const apartAt = (at: number) => deviations.count - saidNo + Math.min(saidNo, context.signOffs.slice(0, at).filter((s) => !s.followedScript).length);
      return (
        <SignOffScreen
          participants={context.participants.map((p) => {
            const at = context.signOffs.findIndex((s) => s.participant === p.id);
            const signOff = context.signOffs[at];
            return { id: p.id, name: p.name, signedOff: !!signOff, followedScript: signOff?.followedScript, apart: signOff ? apartAt(at) : undefined };
          })}
          deviations={deviations}
          onSubmit={({ participant, followedScript, note }) =>
            act({ type: 'signoff.submit', step: view.step.id, participant, followedScript, ...(note ? { note } : {}) })
          }
          rows={rows}
          width={width}
        />
      );
    }
    case 'handout': {
      const { targets, done, total } = handoutOrder(sc, view.step);
      const target = targets[0];
      if (!target) return null;
      return (
        <HandoutScreen
          key={`${target.credential}:${target.custodian}`}
          target={target}
          done={done}
          total={total}
          revealLines={() => desk.revealForPaper(view.step.id, target.credential, target.custodian)}
          onHide={onShareHidden}
          matches={(typed) => desk.typedBackMatches(view.step.id, target.credential, target.custodian, typed)}
          onConfirmed={() => act({ type: 'share.confirmed', step: view.step.id, credential: target.credential, custodian: target.custodian })}
          width={width}
        />
      );
    }
    case 'shares': {
      const manifest = manifestOrProblem(sc, desk, view.credential);
      if (typeof manifest === 'string') return <Tone kind="bad">{manifest}</Tone>;
      const accepted = context.shares?.accepted ?? [];
      // The token the shares open, as PKCS#11 reports it: on share entry and on the re-login approval, like every HSM screen.
      const identity = tokenIdentityFacts(sc, view.credential);
      if (view.purpose === 'reauthenticate' && accepted.length >= manifest.threshold) {
        const original = reloginStep(sc, view.credential);
        return (
          <ApprovalScreen
            blocks={[{ kind: 'text', text: t('shares.reauthApprove', { n: accepted.length }), tone: 'ok' }, identity]}
            fields={peopleFields(sc, original ?? {})}
            onSubmit={(values) => act({ ...(approvalEvent(view.step, values) as Extract<CeremonyEvent, { type: 'step.submit' }>), values: {} })}
            rows={rows}
            width={width}
          />
        );
      }
      const custodians: CustodianLine[] = manifest.shares.map((s) => ({
        id: s.custodian,
        name: custodianName(sc, view.credential, s.custodian),
        index: s.index,
        entered: accepted.some((a) => a.custodian === s.custodian),
        signedIn: findParticipant(context, s.custodian) !== undefined,
        role: roleName(definition, definition.credentials[view.credential]?.custodians ?? 'custodian', sc.lang),
      }));
      return (
        <ShareEntryScreen
          // The step's instructions come before the shares are typed, not after (issue 16 item 7);
          // after a restart the step's shares re-open its token, so its instructions come first too.
          instructions={view.step.instructions ? pick(view.step.instructions, sc.lang) : undefined}
          hsm={blockLines([identity], width).map((line) => line.text)}
          intro={t(view.purpose === 'reauthenticate' ? 'shares.reauthIntro' : 'shares.intro', {
            credential: credentialTitle(sc.definition, view.credential, sc.lang),
          })}
          setId={manifest.setId}
          threshold={manifest.threshold}
          custodians={custodians}
          otherSet={(shown) => {
            const other = desk.otherSet(context, view.credential, shown);
            return other && { ...other, credential: credentialTitle(sc.definition, other.credential, sc.lang) };
          }}
          onOffer={(custodian, text) => {
            const offer = desk.offer(context, view.step.id, view.credential, custodian, text);
            const refused = offer.event ? act(offer.event) : undefined;
            const problem = offer.problem ?? refused;
            return problem ? problemText(t, sc.lang, problem, problemNames(sc)) : undefined;
          }}
          onRefused={(custodian, refusal) => act(desk.refusedAtHeader(context, view.step.id, view.credential, custodian, refusal))}
          rows={rows}
          width={width}
        />
      );
    }
    case 'approval': {
      const step = view.step;
      const shares = context.shares?.step === step.id ? context.shares : undefined;
      const collected = shares
        ? t('shares.collected', { k: shares.accepted.length, names: shares.accepted.map((a) => personName(context, a.custodian)).join(t('list.separator')) })
        : undefined;
      return (
        <ApprovalScreen
          blocks={stepBlocks(sc, step)}
          fields={approvalFields(sc, step)}
          onSubmit={(values) => act(approvalEvent(step, values))}
          goAheadText={goAhead(sc, step)}
          rows={rows}
          width={width}
          childRows={collected ? 1 : 0}
        >
          {collected ? <Tone kind="ok">{`✓ ${collected}`}</Tone> : null}
        </ApprovalScreen>
      );
    }
  }
}
