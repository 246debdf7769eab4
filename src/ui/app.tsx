// The ceremony app: the record of finished steps (<Static>), the header, where the ceremony
// is among its steps, the screen the machine needs now, refusals near the input, and the
// keys that work now. It holds only UI state (what has been read aloud, which overlay is
// open); everything about the ceremony comes from the machine through useCeremony.
import { Box, useStdout } from 'ink';
import { useKeys } from './keyboard.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InteractiveSession, InteractiveStop } from '../ceremony/runner.js';
import type { DriverOutcome } from '../ceremony/driver.js';
import type { CeremonyEvent, Problem } from '../ceremony/types.js';
import { EscapeHintScope } from './components/escape-hint.js';
import { Footer, footerLines, Rule, type KeyHint } from './components/footer.js';
import { Header, type HeaderProps } from './components/header.js';
import { Notice, noticeRows, type NoticeContent } from './components/notice.js';
import { RecordLog } from './components/record-log.js';
import { StepList } from './components/step-list.js';
import { pick, type Translate } from './i18n/index.js';
import { localTimeZone } from './model/clock.js';
import { keepNamesWhole } from '../util/text-width.js';
import { personField, personName, roleLines, twoPeopleFields, twoTakingPartFields } from './model/people.js';
import { cardsVoidedByStop } from './model/voided-cards.js';
import { exceptionItem, stepItem, titleOf, type RecordItem } from './model/record.js';
import { recordsToAppend } from './model/record-order.js';
import { resumedText, resumedTitle } from './model/resumed.js';
import type { ScreenContext } from './model/screen-context.js';
import { viewKey, viewOf, type View } from './model/view.js';
import { hintText, problemText } from './problem-text.js';
import { problemNames } from './model/facts.js';
import { InputScope, UiProviders, useText } from './providers.js';
import { OverlayScreen, type Overlay } from './screens/anytime.js';
import { FinishedScreen } from './screens/finished.js';
import { PausedScreen } from './screens/paused.js';
import { TooSmallScreen } from './screens/too-small.js';
import { ShareDesk } from './share-desk.js';
import { StepScreen } from './step-screen.js';
import { CLEAR_SCREEN_AND_SCROLLBACK, DESIGN_SIZE, type TerminalSize } from './terminal.js';
import { useCeremony } from './use-ceremony.js';
import { useClock, useTerminalSize, type ClockOptions } from './use-terminal.js';

export type UiSession = Pick<InteractiveSession, 'actor' | 'definition' | 'secrets' | 'handouts' | 'workdir' | 'lang' | 'stopRequested'> &
  Partial<Pick<InteractiveSession, 'dryRun' | 'softwareToken' | 'tokenIdentity' | 'deviations' | 'seal' | 'openedAt' | 'readoutFrom' | 'resumed'>>;
export type UiOutcome = DriverOutcome | InteractiveStop;

export interface CeremonyAppProps {
  session: UiSession;
  colors: boolean;
  onOutcome: (outcome: UiOutcome) => void;
  onError: (error: unknown) => void;
  clock?: ClockOptions;
  /** Fixed size (frame tests); otherwise the terminal's, followed on resize. */
  size?: TerminalSize;
}

/** Rows the chrome takes: header 2, step list 3, two rules, footer, and one row kept free at the bottom. */
const CHROME_ROWS = 9;

const defaultClock: ClockOptions = { now: () => new Date(), timeZone: localTimeZone(), tick: true };

export function CeremonyApp(props: CeremonyAppProps) {
  return (
    <UiProviders lang={props.session.lang} colors={props.colors}>
      <Ceremony {...props} />
    </UiProviders>
  );
}

/** Finished steps and exceptions in the order they happened; only ever appended to, as <Static> needs. */
function useRecordItems(sc: ScreenContext): RecordItem[] {
  const state = useRef({ items: [] as RecordItem[], steps: 0, exceptions: 0 });
  const s = state.current;
  const added: RecordItem[] = [];
  for (const entry of recordsToAppend(s, Math.min(sc.context.stepIndex, sc.definition.steps.length), sc.context.exceptions)) {
    const item = entry.kind === 'step' ? stepItem(sc, entry.index) : exceptionItem(sc, entry.index);
    if (item) added.push(item);
    if (entry.kind === 'step') s.steps = entry.index + 1;
    else s.exceptions = entry.index + 1;
  }
  if (added.length) s.items = [...s.items, ...added];
  return s.items;
}

interface Showing {
  view: View;
  overlay: Overlay | undefined;
  paused: boolean;
  ended: boolean;
  closingShown: boolean;
  /** A component on screen acts on Esc (a share field): only then is Esc in the footer. */
  escapeActs: boolean;
}

function hintsFor(t: Translate, { view, overlay, paused, ended, closingShown, escapeActs }: Showing, can: Record<Overlay, boolean>): KeyHint[] {
  const hints: KeyHint[] = [];
  if (ended) return hints;
  if (overlay) hints.push({ keys: 'Enter', action: t('hint.next') }, { keys: '↑', action: t('hint.back') }, { keys: 'Esc', action: t('hint.cancel') });
  else if (paused) hints.push({ keys: 'Enter', action: t('hint.next') }, { keys: '↑', action: t('hint.back') });
  else if (view.kind === 'busy') hints.push({ keys: '', action: t('hint.busy') });
  else if (view.kind === 'readout') hints.push({ keys: 'Enter', action: t('hint.written') });
  else if (view.kind === 'failed') hints.push({ keys: 'r e p a s', action: t('hint.choose') });
  else if (view.kind !== 'finished' || closingShown) hints.push({ keys: 'Enter', action: t('hint.next') }, { keys: '↑', action: t('hint.back') });
  if (!overlay && !paused && view.kind === 'participants') hints.push({ keys: '^D', action: t('hint.removeLast') });
  if (!overlay && !paused && escapeActs) hints.push({ keys: 'Esc', action: t('hint.shareBack') });
  // At 80 columns the most keys do not fit one line; the rarest go first: joining late,
  // pausing, recording an exception, aborting (issue 16). The dialog already open is not
  // offered again: the stop dialog's footer said "^C stop for now" (review16s item 5).
  const offer = (kind: Overlay): boolean => can[kind] && overlay !== kind;
  if (offer('exception')) hints.push({ keys: '^E', action: t('hint.exception'), dropRank: 2 });
  if (offer('pause')) hints.push({ keys: '^P', action: t('hint.pause'), dropRank: 3 });
  if (offer('abort')) hints.push({ keys: '^X', action: t('hint.abort'), dropRank: 1 });
  if (offer('join')) hints.push({ keys: '^N', action: t('hint.join'), dropRank: 4 });
  if (offer('stop')) hints.push({ keys: '^C', action: t('hint.stop') });
  return hints;
}

/**
 * The header with its wall clock. The clock's state lives here, so its once-a-second tick
 * re-renders the header alone, not the ceremony's screens (React's part of the work; ink
 * still writes the whole frame).
 */
function ClockedHeader({ clock, since, ...header }: Omit<HeaderProps, 'clock' | 'elapsed'> & { clock: ClockOptions; since: Date | undefined }) {
  const time = useClock(clock, since);
  return <Header {...header} clock={time.clock} elapsed={time.elapsed} />;
}

function Ceremony({ session, onOutcome, onError, clock: givenClock, size }: CeremonyAppProps) {
  // The header's time is in the ceremony's own zone, as the plan and the report give it: a
  // witness copying a time from the screen writes what the report says (issue 16 item 12).
  const clock = givenClock ?? { ...defaultClock, timeZone: session.definition.timeZone ?? defaultClock.timeZone };
  const { t, lang } = useText();
  const { stdout } = useStdout();
  const [generation, setGeneration] = useState(0);
  // After a resize Ink would redraw below what the old width left (ghost header lines):
  // the screen and scrollback are wiped and the record printed again, once, before the
  // frame at the new size.
  const { columns, rows } = useTerminalSize(size, () => {
    stdout.write(CLEAR_SCREEN_AND_SCROLLBACK);
    setGeneration((g) => g + 1);
  });
  const width = Math.max(40, columns);
  // Below the size every screen is laid out for, parts of a screen (custodians, a hint)
  // would silently fall off: a notice replaces the ceremony until the terminal grows.
  const tooSmall = columns < DESIGN_SIZE.columns || rows < DESIGN_SIZE.rows;
  const { definition, actor } = session;
  const { snapshot, send } = useCeremony(actor);
  const context = snapshot.context;
  // Every wrap on screen keeps the signed-in people's Chinese names whole (李建國, not 李 | 建國).
  keepNamesWhole(context.participants.map((p) => p.name));
  // Read from the HSM once per step (and again when its work is done: init-token makes a token).
  const tokenIdentity = useMemo(() => {
    const read = session.tokenIdentity;
    if (!read) return undefined;
    const cache = new Map<string, ReturnType<typeof read>>();
    return (token: string) => {
      if (!cache.has(token)) cache.set(token, read(token));
      return cache.get(token);
    };
  }, [session.tokenIdentity, context.stepIndex, context.busy]);
  // The journal's deviations, read again when the step changes (the deviations step lists them).
  const deviations = useMemo(() => {
    const read = session.deviations;
    if (!read) return undefined;
    let cached: ReturnType<typeof read> | undefined;
    return () => (cached ??= read());
  }, [session.deviations, context.stepIndex, context.exceptions.length]);
  const sc: ScreenContext = { definition, context, lang, t, tokenIdentity, deviations, timeZone: clock.timeZone };
  // A refusal names people by who has signed in by then: the screen context of the latest render.
  const scRef = useRef(sc);
  scRef.current = sc;
  const desk = useMemo(
    () => new ShareDesk({ definition, secrets: session.secrets, handouts: session.handouts, workdir: session.workdir }),
    [definition, session.secrets, session.handouts, session.workdir],
  );

  // Keys and files made before this session (a resume) were read aloud then, except the
  // one whose screen was showing when the last process ended (the runner reads the journal).
  const [readFrom, setReadFrom] = useState(() => Math.min(session.readoutFrom ?? context.stepIndex, context.stepIndex));
  const [overlay, setOverlay] = useState<Overlay | undefined>();
  const [escapeActs, setEscapeActs] = useState(false);
  const [notice, setNotice] = useState<NoticeContent | undefined>();
  const [ended, setEnded] = useState<UiOutcome['status'] | undefined>();
  const endedRef = useRef(false);

  const view = viewOf(sc, snapshot, readFrom);
  // The step being done: on a read-aloud screen, the step that made the key or file (the
  // machine is already at the next one). The header names it, and a stop there is recorded at it.
  const doing = view.kind === 'readout' ? view.index : context.stepIndex;
  const readoutStep = view.kind === 'readout' ? definition.steps[view.index]?.id : undefined;
  const readoutStepRef = useRef(readoutStep);
  readoutStepRef.current = readoutStep;
  const key = viewKey(view, context);
  const items = useRecordItems(sc);

  const finish = useCallback(
    (outcome: UiOutcome) => {
      if (endedRef.current) return;
      endedRef.current = true;
      setEnded(outcome.status);
      onOutcome(outcome);
    },
    [onOutcome],
  );

  const act = useCallback(
    (event: CeremonyEvent): Problem | undefined => {
      const refusal = send(event);
      setNotice(
        refusal
          ? { title: t('notice.refused'), message: problemText(t, lang, refusal, problemNames(scRef.current)), hint: hintText(lang, refusal), tone: 'bad' }
          : undefined,
      );
      return refusal;
    },
    [send, t, lang],
  );

  useEffect(() => setNotice(undefined), [key]);

  // After a resume the first screen people act on says how the last run ended (issue 16
  // item 3); it goes when that screen does (a busy moment before it does not count).
  const resumedKey = useRef<string | undefined>(undefined);
  const [resumedShown, setResumedShown] = useState(session.resumed !== undefined);
  if (resumedShown && resumedKey.current === undefined && view.kind !== 'busy') resumedKey.current = key;
  useEffect(() => {
    if (resumedKey.current !== undefined && key !== resumedKey.current) setResumedShown(false);
  }, [key]);
  const resumedNotice: NoticeContent | undefined =
    resumedShown && session.resumed ? { title: resumedTitle(sc, session.resumed), message: resumedText(sc, session.resumed), tone: 'warn' } : undefined;

  const finishedAs = view.kind === 'finished' ? view.status : undefined;
  // Completed or aborted, the journal is sealed: its hash and every deviation are read
  // aloud here, before the UI exits, and a witness acknowledges (issue 16 item 2).
  const [closed, setClosed] = useState(false);
  const closing = useMemo(() => {
    if (!finishedAs) return undefined;
    const seal = session.seal?.();
    return seal ? { seal, deviations: session.deviations?.() ?? [] } : undefined;
  }, [finishedAs, session]);
  useEffect(() => {
    if (finishedAs && (closed || !closing)) finish({ status: finishedAs });
  }, [finishedAs, closed, closing, finish]);
  useEffect(() => {
    if (snapshot.status === 'error') onError(snapshot.error);
  }, [snapshot.status, snapshot.error, onError]);

  // A signal (SIGINT/SIGTERM) asks the run to stop; it stops as soon as the HSM is idle,
  // and says so meanwhile.
  const [stopping, setStopping] = useState<string | undefined>();
  useEffect(() => {
    const timer = setInterval(() => {
      const signal = session.stopRequested();
      if (!signal) return;
      if (actor.getSnapshot().context.busy) setStopping(signal);
      else finish({ status: 'interrupted', ...(readoutStepRef.current ? { step: readoutStepRef.current } : {}) });
    }, 200);
    return () => clearInterval(timer);
  }, [session, actor, finish]);
  // Production on a software token (run --allow-software-token): the header says it on every
  // screen, and the opening screen says what it means before anyone signs in (issue 16).
  const software = session.dryRun === true ? undefined : session.softwareToken;
  const softwareNotice: NoticeContent | undefined =
    software !== undefined && view.kind === 'participants'
      ? { title: t('software.title'), message: t('software.text', { device: software }), tone: 'warn' }
      : undefined;
  const shownNotice: NoticeContent | undefined =
    stopping && !ended
      ? { title: t('notice.stopping', { signal: stopping }), message: t('notice.stoppingWhenIdle'), tone: 'warn' }
      : (notice ?? softwareNotice ?? resumedNotice);

  // Paused: the step's screen stays mounted underneath, hidden, until two people continue.
  const pausedOver =
    context.paused !== undefined &&
    (view.kind === 'approval' || view.kind === 'shares' || view.kind === 'handout' || view.kind === 'failed' || view.kind === 'sign-offs');
  const signedIn = context.participants.length > 0;
  const busy = view.kind === 'busy';
  const finishing = view.kind === 'finished' || ended !== undefined;
  const can: Record<Overlay, boolean> = {
    exception: !finishing && signedIn,
    pause: !finishing && signedIn && !busy && !context.paused,
    abort: !finishing && context.participants.length >= 2 && !busy,
    join: !finishing && context.participants.length >= 2,
    stop: !finishing && !busy,
  };

  // Ctrl+C on the "too small" screen: the screen says how to stop, and the stop screen opens
  // once the terminal is big enough (issue 16); the other keys wait for the ceremony's screens.
  // Asked while the HSM is busy, the stop screen opens once it is idle, as ^C's would.
  const [stopAsked, setStopAsked] = useState(false);
  useEffect(() => {
    if (!stopAsked || tooSmall) return;
    if (finishing) setStopAsked(false);
    else if (can.stop) {
      setStopAsked(false);
      setNotice(undefined);
      setOverlay('stop');
    }
  }, [stopAsked, tooSmall, can.stop, finishing]);

  useKeys((input, k) => {
    if (k.ctrl && input === 'c' && tooSmall && !finishing) setStopAsked(true);
    if (!k.ctrl || tooSmall) return;
    const wanted: Overlay | undefined =
      input === 'e' ? 'exception' : input === 'p' ? 'pause' : input === 'x' ? 'abort' : input === 'n' ? 'join' : input === 'c' ? 'stop' : undefined;
    // ^C on the closing screen did nothing, and said nothing (review16s item 5): the journal is
    // sealed, there is nothing to stop; the screen says so and what ends the program.
    if (wanted === 'stop' && closing !== undefined && !closed) {
      setNotice({ title: t('notice.closingNoStop'), message: t('notice.closingNoStopText'), tone: 'warn' });
      return;
    }
    if (wanted && can[wanted]) {
      setNotice(undefined);
      setOverlay(wanted);
    }
  }, !ended);

  const closeOnSuccess = (event: CeremonyEvent) => {
    if (!act(event)) setOverlay(undefined);
  };

  const hints = hintsFor(t, { view, overlay, paused: pausedOver, ended: ended !== undefined, closingShown: closing !== undefined && !closed, escapeActs }, can);
  const footerRows = Math.max(1, footerLines(hints, width).length);
  const bodyRows = Math.max(6, rows - CHROME_ROWS - (footerRows - 1) - noticeRows(t, shownNotice, width));
  const stepNumber = Math.min(doing + 1, definition.steps.length + 1);

  return (
    <Box flexDirection="column" width={width}>
      <RecordLog items={items} generation={generation} width={width} />
      {tooSmall ? (
        <TooSmallScreen columns={columns} rows={rows} width={width} stopAsked={stopAsked ? (context.participants.length >= 2 ? 'two' : 'one') : undefined} />
      ) : null}
      {/* Too small: the ceremony stays mounted (half-typed answers kept), hidden and deaf to keys. */}
      <Box display={tooSmall ? 'none' : 'flex'} flexDirection="column">
        <InputScope active={!tooSmall}>
          <ClockedHeader
            title={pick(definition.title, lang)}
            dryRun={session.dryRun === true}
            softwareToken={software !== undefined}
            stepNumber={stepNumber}
            stepCount={definition.steps.length}
            aborted={context.status === 'aborted'}
            paused={context.paused !== undefined && context.status !== 'aborted'}
            clock={clock}
            since={session.openedAt}
            width={width}
          />
          <StepList steps={definition.steps.map((s, i) => ({ number: i + 1, id: s.id, title: titleOf(s, lang) }))} current={doing} width={width} />
          <Rule width={width} />
          {ended ? (
            <FinishedScreen status={ended} />
          ) : (
            <>
              {overlay ? (
                <OverlayScreen
                  overlay={overlay}
                  onePerson={personField(sc, 'by', t('people.who'), { alone: true })}
                  twoPeople={twoPeopleFields(sc)}
                  twoTakingPart={twoTakingPartFields(sc)}
                  onException={(by, text) => closeOnSuccess({ type: 'exception', by, text, ...(readoutStep ? { about: readoutStep } : {}) })}
                  onPause={(by, reason) => closeOnSuccess({ type: 'pause', by, reason })}
                  onAbort={(by, reason) => closeOnSuccess({ type: 'abort', by, reason })}
                  onJoin={(participant, confirmedBy) => closeOnSuccess({ type: 'participants.join', participant, confirmedBy })}
                  join={{ roles: roleLines(definition, lang), conflicts: definition.conflicts, participants: context.participants }}
                  onStop={(by) =>
                    finish(
                      view.kind === 'failed'
                        ? { status: 'failed', failure: view.failure }
                        : { status: 'interrupted', ...(by.length ? { stoppedBy: by } : {}), ...(readoutStep ? { step: readoutStep } : {}) },
                    )
                  }
                  stopNeedsTwo={context.participants.length >= 2}
                  onCancel={() => setOverlay(undefined)}
                  workdir={session.workdir}
                  sharesEntered={context.shares?.accepted.map((a) => a.custodian) ?? []}
                  cardsVoided={cardsVoidedByStop(sc)}
                  width={width}
                />
              ) : pausedOver ? (
                <PausedScreen
                  by={personName(context, context.paused!.by)}
                  reason={context.paused!.reason}
                  twoPeople={twoPeopleFields(sc)}
                  onContinue={(by) => act({ type: 'continue', by })}
                  width={width}
                />
              ) : null}
              <Box display={overlay || pausedOver ? 'none' : 'flex'} flexDirection="column">
                <InputScope active={!overlay && !pausedOver}>
                  <EscapeHintScope onChange={setEscapeActs}>
                    <StepScreen
                      key={key}
                      view={view}
                      sc={sc}
                      desk={desk}
                      act={act}
                      onReadoutDone={(index) => setReadFrom(index + 1)}
                      onChoose={(choice) => setOverlay(choice)}
                      onShareHidden={() => {
                        // Straight to the terminal, before React draws the next frame: the share
                        // is wiped from the screen and the scrollback, then the record is printed again.
                        stdout.write(CLEAR_SCREEN_AND_SCROLLBACK);
                        setGeneration((g) => g + 1);
                      }}
                      rows={bodyRows}
                      width={width}
                      closing={closed ? undefined : closing}
                      onClosed={() => setClosed(true)}
                    />
                  </EscapeHintScope>
                </InputScope>
              </Box>
            </>
          )}
          <Notice notice={shownNotice} width={width} />
          <Rule width={width} />
          <Footer hints={hints} width={width} />
        </InputScope>
      </Box>
    </Box>
  );
}
