// `keyceremony plan <definition> --cards`: a blank share card for every share the ceremony
// will hand out, printed before the ceremony, so each custodian writes their share onto a
// card that already says what it opens. What the ceremony alone knows (the set id, who
// holds the share) is left blank to fill in by hand. The boxes are laid out as the share is
// shown and typed (src/ui share entry): five groups of five characters a row, each row
// numbered by its first group.
import { credentialTitle, type Definition } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import { GROUP_LENGTH } from '../quorum/group-check.js';
import { shareShape } from '../quorum/split.js';
import type { Lang } from '../util/lang.js';

export interface ShareCard {
  ceremony: string;
  /** The definition's ceremony id and step id, to find the step in the script. */
  ceremonyId: string;
  step: string;
  credential: string;
  credentialTitle: string;
  index: number;
  count: number;
  threshold: number;
  /** How many groups the share has, and the length of the last one. */
  groups: number;
  lastGroupLength: number;
}

export const GROUPS_PER_ROW = 5;

/** One card per share of every credential a step of the definition splits, in step order. */
export function shareCards(definition: Definition, lang: Lang): ShareCard[] {
  const shape = shareShape();
  return definition.steps.flatMap((step) =>
    (specOf(step).splits?.(step, definition) ?? []).flatMap((split) =>
      Array.from({ length: split.of }, (_, i) => ({
        ceremony: definition.title[lang],
        ceremonyId: definition.ceremony,
        step: step.id,
        credential: split.credential,
        credentialTitle: credentialTitle(definition, split.credential, lang),
        index: i + 1,
        count: split.of,
        threshold: split.threshold,
        groups: shape.groups,
        lastGroupLength: shape.lastGroupLength,
      })),
    ),
  );
}

/** The share's groups as rows of at most five, each row with the number of its first group. */
export function cardRows(card: Pick<ShareCard, 'groups' | 'lastGroupLength'>): Array<{ first: number; groupLengths: number[] }> {
  const rows: Array<{ first: number; groupLengths: number[] }> = [];
  for (let first = 1; first <= card.groups; first += GROUPS_PER_ROW) {
    const last = Math.min(card.groups, first + GROUPS_PER_ROW - 1);
    rows.push({ first, groupLengths: Array.from({ length: last - first + 1 }, (_, j) => (first + j === card.groups ? card.lastGroupLength : GROUP_LENGTH)) });
  }
  return rows;
}
