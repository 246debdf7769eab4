// The usual step screen: what the step will do (scrollable when it is long, e.g. what will
// be signed) and the form with which the performer and the witnesses approve it.
import { Box } from 'ink';
import { useCallback, useRef, type ReactNode } from 'react';
import { Form, formHelpRows } from '../components/form.js';
import { Scroll } from '../components/scroll.js';
import { blockLines, type Block } from '../model/blocks.js';
import { visibleFields, type FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';

export interface ApprovalScreenProps {
  blocks: readonly Block[];
  fields: readonly FieldSpec[];
  onSubmit: (values: Record<string, string>) => void;
  rows: number;
  width: number;
  /** Text for a step nobody needs to name themselves for (lock): Enter goes ahead. */
  goAheadText?: string;
  /** Something the screen shows between the facts and the form (e.g. shares entered). */
  children?: ReactNode;
  childRows?: number;
  /**
   * The form takes nothing until the last line has been on screen: the closing read-aloud's
   * witness confirmed with the deviations still below the fold (review at 80x24, M4).
   */
  readToEnd?: boolean;
}

export function ApprovalScreen({ blocks, fields, onSubmit, rows, width, goAheadText, children, childRows = 0, readToEnd = false }: ApprovalScreenProps) {
  const { t } = useText();
  const lines = blockLines(blocks, width);
  const endShown = useRef(false);
  const onEndShown = useCallback(() => {
    endShown.current = true;
  }, []);
  const gated = readToEnd
    ? fields.map((f) => ({
        ...f,
        check: (value: string, values: Record<string, string>) => (endShown.current ? f.check?.(value, values) : t('scroll.readToEnd')),
      }))
    : fields;
  // The fields, and their help line, which wraps onto as many rows as the longest needs.
  const formRows = Math.max(1, visibleFields(fields, {}).length) + formHelpRows(fields, width);
  const room = Math.max(2, rows - formRows - childRows - 1);
  return (
    <Box flexDirection="column">
      <Scroll lines={lines} height={room} onEndShown={onEndShown} />
      {children}
      <Box marginTop={lines.length > 0 ? 1 : 0}>
        <Form width={width} fields={gated} onSubmit={onSubmit} emptyText={goAheadText ?? t('form.pressEnter')} />
      </Box>
    </Box>
  );
}
