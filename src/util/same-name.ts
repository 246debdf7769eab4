// When two names are the same person's: Unicode TR 39 (security mechanisms) §4, confusable
// detection. Two participants whose ids or names differ only in width (ｈｃ１ / hc1), case
// (Carol / CAROL), invisible characters or look-alike letters from another script (Саrol,
// with Cyrillic С and а / Carol) would pass for two people — performer and witness of one
// step. Names are compared by a key: NFKC, default-ignorable characters removed, spaces
// collapsed, then the TR 39 skeleton (NFD, each character replaced by its prototype from
// the Unicode confusables table, NFD again), case folding, and skeleton and folding once
// more (the table maps to capitals too, 0 -> O), with i counted as l (below).
//
// The table comes from `unhomoglyph` (MIT, nodeca): confusables.txt as data, no code to
// speak of, no dependencies.
import unhomoglyph from 'unhomoglyph';

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** Full case folding as far as JavaScript has it: upper then lower folds ß to ss and ς to σ. */
const fold = (text: string) => text.toUpperCase().toLowerCase();

/** The comparison key of a name or id: equal keys are names a person cannot tell apart. */
export function sameNameKey(text: string): string {
  const plain = text.normalize('NFKC').replace(IGNORABLE, '').replace(/\s+/gu, ' ').trim();
  // Capital I and small l are confusable (TR 39 maps I to l), but folding turns I into i,
  // and a name may be typed in any case: so after folding, i counts as l. This also makes
  // "iin" and "lin" one name, a false alarm people can live with (add a middle name); the
  // other way round a witness could be the performer under a second name.
  return fold(skeleton(fold(skeleton(plain)))).replace(/i/g, 'l');
}

/**
 * Where the confusables table and the glyphs people see disagree: the Cyrillic palochka is
 * a plain vertical stroke in both cases (Ӏ U+04C0, ӏ U+04CF), drawn like I and l, but the
 * table sends the small one to i. Both go to l here.
 */
const SUPPLEMENT = /[\u04CF]/gu;

/** TR 39 skeleton: NFD, each character replaced by its prototype, NFD again. */
const skeleton = (text: string) => unhomoglyph(text.normalize('NFD').replace(SUPPLEMENT, 'l')).normalize('NFD');
