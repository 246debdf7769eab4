// confirm: performer and witness each confirm a statement (by typing their own id).
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const confirm: StepKind<StepOf<'confirm'>> = {
  result: (step) => ({ details: { statement: step.statement } }),
};
