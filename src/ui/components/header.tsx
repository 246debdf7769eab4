// Top of every screen: the ceremony, where it is, and the time (wall clock with zone, and
// time elapsed since this session started).
import { Box, Text } from 'ink';
import { useText } from '../providers.js';
import { displayWidth, fitDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

export interface HeaderProps {
  title: string;
  /** A rehearsal or the real ceremony: the title says which, so that no screen of one passes for the other. */
  dryRun?: boolean;
  /** Production on a software token (SoftHSM, NSS softoken): every screen says so, not only the opening one. */
  softwareToken?: boolean;
  stepNumber: number;
  stepCount: number;
  clock: string;
  elapsed: string;
  width: number;
  /** Aborted: from the moment it is recorded the header says so, not which step comes next (issue 16 item 4). */
  aborted?: boolean;
  /** Paused: the header says so beside the mode until two people continue, whatever screen is under it. */
  paused?: boolean;
}

export function Header({
  title,
  dryRun = false,
  softwareToken = false,
  stepNumber,
  stepCount,
  clock,
  elapsed,
  width,
  aborted = false,
  paused = false,
}: HeaderProps) {
  const { t } = useText();
  const mode = dryRun ? t('header.dryRun') : softwareToken ? t('header.productionSoftware') : t('header.production');
  const shown = paused ? `${mode} · ${t('header.paused')} · ${title}` : `${mode} · ${title}`;
  const where = aborted
    ? t('header.aborted', { k: Math.min(stepNumber, stepCount), n: stepCount })
    : stepNumber > stepCount
      ? t('header.allDone', { n: stepCount })
      : t('header.step', { k: stepNumber, n: stepCount });
  const since = t('header.elapsed', { time: elapsed });
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        {/* By display width: a Chinese step counter is wider than its length, and the title ran into it, wrapped, and pushed the mode off the top (review at 80x24). */}
        <Tone kind="title">{fitDisplay(shown, width - displayWidth(where) - 2)}</Tone>
        {aborted ? (
          <Tone kind="bad" bold>
            {where}
          </Tone>
        ) : (
          <Text>{where}</Text>
        )}
      </Box>
      <Box justifyContent="space-between">
        <Tone kind="muted">{clock}</Tone>
        <Tone kind="muted">{since}</Tone>
      </Box>
    </Box>
  );
}
