// Custodians enter their shares one at a time: first their id (the screen shows their name
// and which share of the set the manifest gives them), then the share itself, masked, with
// each group marked right or wrong as it is typed. Progress is k of the threshold.
import { Box, Text } from 'ink';
import { useState } from 'react';
import { Form } from '../components/form.js';
import { ShareField } from '../components/share-field.js';
import { Wrapped } from '../components/wrapped.js';
import { Tone } from '../components/tone.js';
import { useText } from '../providers.js';
import { fitDisplay, padDisplay, widest, wrapDisplay } from '../../util/text-width.js';

export interface CustodianLine {
  id: string;
  name: string;
  index: number;
  entered: boolean;
  /** False for a custodian who has not signed in: refused at the id, before a share is typed (issue 16). */
  signedIn?: boolean;
}

export interface ShareEntryScreenProps {
  intro: string;
  setId: string;
  threshold: number;
  custodians: readonly CustodianLine[];
  /** The credential of another share set of this ceremony, to name it when one of its shares is typed. */
  credentialOfSet?: (setId: string) => string | undefined;
  /** Hands the typed share on; returns what was wrong (in words) or undefined when accepted. */
  onOffer: (custodian: string, text: string) => string | undefined;
  rows: number;
  width: number;
}

export function ShareEntryScreen({ intro, setId, threshold, custodians, credentialOfSet, onOffer, rows, width }: ShareEntryScreenProps) {
  const { t } = useText();
  const [typing, setTyping] = useState<CustodianLine | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const entered = custodians.filter((c) => c.entered).length;
  const idWidth = widest(custodians.map((c) => c.id));
  // Wide enough for a role title marked as not signed in (PIN 碼分持保管人（未簽到）), still well inside 80 columns.
  const nameWidth = Math.min(32, widest(custodians.map((c) => c.name)));
  const introLines = wrapDisplay(intro, width).slice(0, 2);
  const lookAway = typing ? t('shares.othersLookAway', { name: typing.name }) : '';
  // Rows left for the list: progress, the gap, the look-away line (wrapped when a long name needs two), the field (label, up to 4 rows of groups, help, status) and its error.
  // While a custodian id is asked (no share field yet): progress, the gap, the id field, its help and an error of two rows each.
  const listRoom = typing
    ? Math.max(1, rows - introLines.length - 9 - Math.max(1, wrapDisplay(lookAway, width).length))
    : Math.max(1, rows - introLines.length - 7);

  return (
    <Box flexDirection="column">
      {introLines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text>
        <Tone kind="accent">{t('shares.progress', { k: entered, n: threshold })}</Tone>
        <Tone kind="muted">{`  ${t('shares.set', { setId })}`}</Tone>
      </Text>
      {custodians.slice(0, listRoom).map((c) => (
        <Text key={c.id}>
          <Tone kind={c.entered ? 'ok' : typing?.id === c.id ? 'accent' : 'muted'}>{c.entered ? ' ✓ ' : typing?.id === c.id ? ' ▶ ' : ' · '}</Tone>
          {padDisplay(c.id, idWidth)}
          {'  '}
          {padDisplay(fitDisplay(c.name, nameWidth), nameWidth)}
          {'  '}
          <Tone kind="muted">{`${t('shares.index', { index: c.index })}${c.entered ? `  ${t('shares.entered')}` : ''}`}</Tone>
        </Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        {typing ? (
          <>
            <Wrapped kind="warn" text={lookAway} width={width} />
            <ShareField
              label={t('shares.typeShare', { name: typing.name, index: typing.index })}
              expectedSetId={setId}
              credentialOfSet={credentialOfSet}
              expectedIndex={typing.index}
              holderOf={(index) => custodians.find((c) => c.index === index)?.name}
              onEscape={() => setTyping(undefined)}
              onSubmit={(text) => {
                const problem = onOffer(typing.id, text);
                setError(problem);
                setTyping(undefined);
                setAttempt((n) => n + 1);
              }}
            />
          </>
        ) : (
          <Form
            width={width}
            key={attempt}
            fields={[
              {
                name: 'custodian',
                label: t('shares.custodian'),
                help: t('shares.custodianHelp'),
                check: (id) => {
                  const c = custodians.find((x) => x.id === id);
                  if (!c) return t('shares.notCustodian', { id });
                  if (c.signedIn === false) return t('people.notSignedIn', { id });
                  if (c.entered) return t('shares.already', { id });
                  return undefined;
                },
              },
            ]}
            onSubmit={(values) => {
              setError(undefined);
              setTyping(custodians.find((c) => c.id === values.custodian));
            }}
          />
        )}
        {error && !typing ? <Wrapped kind="bad" text={`  ✗ ${error}`} width={width} hang={4} /> : null}
      </Box>
    </Box>
  );
}
