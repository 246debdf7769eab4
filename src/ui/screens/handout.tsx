// New shares go to their custodians one at a time (init-token, split-credential,
// rotate-credential): everyone else looks away and the custodian types their id; the share
// is shown; once written down, the screen and its scrollback are wiped; the custodian types
// the share back from paper, and only a match counts as handed over.
import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { Form } from '../components/form.js';
import { ShareField } from '../components/share-field.js';
import { Wrapped } from '../components/wrapped.js';
import { displayWidth } from '../../util/text-width.js';
import { Tone } from '../components/tone.js';
import { useLineInput } from '../components/line-input.js';
import { useText } from '../providers.js';

export interface HandoutTarget {
  credential: string;
  /** What the share card calls the credential (its title, else token and PIN), as `plan --cards` prints it. */
  credentialTitle: string;
  setId: string;
  custodian: string;
  name: string;
  /** Share `index` of `count`, any `threshold` of which open the credential: as on the share card. */
  index: number;
  count: number;
  /** The names of the set's custodians in share order (share k is the k-th's): a card typed back is named by its holder. */
  holders: readonly string[];
  threshold: number;
  /** The ceremony's title in the terminal's language. */
  ceremony: string;
  /** A rotation: the set these shares replace, whose cards open nothing once the step ends. */
  replaces?: string | undefined;
}

export interface HandoutScreenProps {
  target: HandoutTarget;
  /** Shares of the target's credential handed over so far, and in all. */
  done: number;
  total: number;
  /** The share for paper, borrowed for the one frame that shows it; never kept. */
  revealLines: () => string[];
  /** Called the moment the share leaves the screen: the caller wipes screen and scrollback. */
  onHide: () => void;
  matches: (typed: string) => boolean;
  onConfirmed: () => void;
  width: number;
}

type Stage = 'look-away' | 'showing' | 'typing-back';

/**
 * The share as the card takes it: the set id first, in the one form every screen, refusal,
 * manifest and report shows it (QWJ7B68Z), for the card's "Set id" boxes, and where it is in
 * the groups below (QWJ7 begins group 1, B68Z group 2, each followed by its check character);
 * then the groups in numbered rows (issue 16).
 */
function ShowShare({ setId, lines, onDone }: { setId: string; lines: string[]; onDone: () => void }) {
  const { t } = useText();
  useLineInput({ onEnter: onDone });
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" borderStyle="single" paddingX={1}>
        <Text>{t('handout.setId', { setId, first: setId.slice(0, 4), last: setId.slice(4) })}</Text>
        {lines.map((line, i) => (
          <Text key={i} bold>
            {String(i * 5 + 1).padStart(3)}
            {'   '}
            {line}
          </Text>
        ))}
      </Box>
      <Text>{t('handout.writeDown')}</Text>
    </Box>
  );
}

export function HandoutScreen({ target, done, total, revealLines, onHide, matches, onConfirmed, width }: HandoutScreenProps) {
  const { t } = useText();
  const [stage, setStage] = useState<Stage>('look-away');
  const [error, setError] = useState<string | undefined>();
  // If the screen goes away while the share is shown (a stop, a signal), it is wiped too.
  const showing = useRef(false);
  showing.current = stage === 'showing';
  const hide = useRef(onHide);
  hide.current = onHide;
  useEffect(
    () => () => {
      if (showing.current) hide.current();
    },
    [],
  );
  const name = target.name;
  const title = t('handout.title', { credential: target.credentialTitle, setId: target.setId });
  const progress = t('handout.progress', { k: done, n: total });
  // The counter is one phrase (已交付 0 份，共 5 份): beside the title when both fit, else on a line of its own, never split.
  const besideTitle = displayWidth(`${title}  ${progress}`) <= width;
  return (
    <Box flexDirection="column">
      {besideTitle ? (
        <Text>
          <Tone kind="accent">{title}</Tone>
          <Tone kind="muted">{`  ${progress}`}</Tone>
        </Text>
      ) : (
        <>
          <Wrapped kind="accent" text={title} width={width} />
          <Tone kind="muted">{progress}</Tone>
        </>
      )}
      <Wrapped
        text={t('handout.card', { index: target.index, count: target.count, threshold: target.threshold, name, ceremony: target.ceremony })}
        width={width}
      />
      <Text> </Text>
      {stage === 'look-away' ? (
        <>
          {/* The old cards are to be destroyed: a rotation said nothing of them (review at 80x24, M7). */}
          {target.replaces === undefined ? null : <Wrapped kind="warn" text={t('handout.replaces', { old: target.replaces })} width={width} />}
          <Wrapped kind="warn" bold text={t('handout.lookAway', { name })} width={width} />
          <Text>{t('handout.cardReady')}</Text>
          <Text> </Text>
          <Form
            width={width}
            fields={[
              {
                name: 'id',
                label: t('handout.confirmId', { name }),
                check: (id) => (id === target.custodian ? undefined : t('handout.wrongPerson', { name })),
              },
            ]}
            onSubmit={() => {
              setError(undefined);
              setStage('showing');
            }}
          />
        </>
      ) : stage === 'showing' ? (
        <>
          <Wrapped kind="secret" bold text={t('handout.sensitive', { name })} width={width} />
          <ShowShare
            setId={target.setId}
            lines={revealLines()}
            onDone={() => {
              showing.current = false;
              onHide();
              setStage('typing-back');
            }}
          />
        </>
      ) : (
        <>
          <Wrapped text={t('handout.typeBack', { name })} width={width} />
          <ShareField
            label={t('handout.shareLabel')}
            expectedSetId={target.setId}
            // Another custodian's card of the same set is refused at group 4, naming whose it is,
            // as at unlock; it was marked all right until Enter (review at 80x24, M1).
            expectedIndex={target.index}
            holderOf={(index) => (target.holders[index - 1] === undefined ? undefined : { name: target.holders[index - 1]!, signedIn: true })}
            expectedHolder={target.name}
            width={width}
            onEscape={() => {
              setError(undefined);
              setStage('look-away');
            }}
            onSubmit={(typed) => {
              if (matches(typed)) {
                setError(undefined);
                onConfirmed();
              } else setError(t('handout.mismatch'));
            }}
          />
          {error ? <Wrapped kind="bad" text={`  ✗ ${error}`} width={width} hang={4} /> : null}
        </>
      )}
    </Box>
  );
}
