// When two names are the same person's: Unicode TR 39 (security mechanisms) §4, confusable
// detection. Two participants whose ids or names differ only in width (ｈｃ１ / hc1), case
// (Carol / CAROL), invisible characters or look-alike letters from another script (Саrol,
// with Cyrillic С and а / Carol) would pass for two people — performer and witness of one
// step. Names are compared by a key: NFKC, case folding, default-ignorable characters
// removed, spaces collapsed, then the TR 39 skeleton (NFD, each character replaced by its
// prototype from the Unicode confusables table, NFD again), folded once more because the
// table maps to capitals too (0 -> O).
//
// The table comes from `unhomoglyph` (MIT, nodeca): confusables.txt as data, no code to
// speak of, no dependencies.
import unhomoglyph from 'unhomoglyph';

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** Full case folding as far as JavaScript has it: upper then lower folds ß to ss and ς to σ. */
const fold = (text: string) => text.toUpperCase().toLowerCase();

/** The comparison key of a name or id: equal keys are names a person cannot tell apart. */
export function sameNameKey(text: string): string {
  const plain = fold(text.normalize('NFKC')).replace(IGNORABLE, '').replace(/\s+/gu, ' ').trim();
  return fold(unhomoglyph(plain.normalize('NFD')).normalize('NFD'));
}
