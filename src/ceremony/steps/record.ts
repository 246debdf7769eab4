// record: typed values (serial numbers, bag numbers, the room) that a witness confirms.
import { checkValues } from '../quorum.js';
import type { StepKind } from './kind.js';
import type { StepOf } from '../../definition/definition.js';

export const record: StepKind<StepOf<'record'>> = {
  check: (step, submission) => checkValues(step, submission.values),
  result: (step, submission) => {
    const fields = step.fields.map((f) => (typeof f === 'string' ? f : f.id));
    return { values: Object.fromEntries(fields.flatMap((f) => (submission.values[f] === undefined ? [] : [[f, submission.values[f]!.trim()]]))) };
  },
};
