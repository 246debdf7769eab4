// Issue 16 item 11: a zh-TW screen shows Latin letters only where they are names, ids the
// definition gives, fingerprints, or the terms of PKCS#11, X.509 and cryptography that the
// officers read in English on the HSM's own papers too. Everything else is English leaking
// into the Traditional Chinese screens. This lists every Latin-letter word on a set of
// screens and keeps those outside an allowlist, with the screen each one was on.
import { EVEN_WORDS, ODD_WORDS } from '../../../src/util/pgp-words.js';

/**
 * Terms a zh-TW screen keeps in Latin letters: the standards' and the HSM's own names. Kept
 * short and explicit: a word here is a word no screen may ever need translated.
 */
export const TECHNICAL_TERMS: readonly string[] = [
  // PKCS#11 and the HSM
  'PKCS',
  'PKCS#11',
  'HSM',
  'PIN',
  'SO',
  'SoftHSM',
  'CKA_SENSITIVE',
  'CKA_EXTRACTABLE',
  'CKA_NEVER_EXTRACTABLE',
  'CKA_WRAP_WITH_TRUSTED',
  'CKA_TRUSTED',
  // The formats of the files a refusal names (a script is YAML, a manifest JSON) and PKCS#11 URIs
  'YAML',
  'JSON',
  'URI',
  // X.509 and the CA's objects
  'X.509',
  'CA',
  'CSR',
  'CRL',
  'DN',
  'PEM',
  'DER',
  'C',
  'O',
  'OU',
  'CN',
  'TW',
  // algorithms and fingerprints
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'RSA',
  'RSA-4096',
  'EC',
  'ECDSA',
  'P-256',
  'P-384',
  'P-521',
  'AES',
  'PGP',
  // time and the tool itself
  'UTC',
  'keyceremony',
  'Enter',
  'Esc',
  'Ctrl',
  'Tab',
  'Backspace',
  'Home',
  'End',
  'Ctrl+C',
  'Ctrl+E',
  'Ctrl+N',
  'Ctrl+P',
  'Ctrl+X',
  'Ctrl+U',
  'Ctrl+D',
];

/** What a run's screens may name: everything the definition and the people in it give. */
export interface Allowed {
  /** Exact words (names, ids, labels, file names, shares shown). */
  words: Iterable<string>;
  /** Folders of the run (the workdir, the token store): a path under one is a path, not a word. */
  folders: readonly string[];
}

const PGP = new Set([...EVEN_WORDS, ...ODD_WORDS].map((w) => w.toLowerCase()));
/** Hex (fingerprints in groups, serials, key ids) and a time zone name such as Asia/Taipei. */
const HEX = /^(?:0x)?[0-9A-Fa-f]+$/;
const TIME_ZONE = /^[A-Z][a-z]+\/[A-Z][A-Za-z_]+$/;

/**
 * Latin-letter words in `text`: runs of letters, digits and the joiners ids use (-_.+/#:),
 * with a letter in them. Terminal escapes are not text, and a command in backticks is
 * typed as it is (`keyceremony resume <dir>`): neither is a word on the screen.
 */
export function latinWords(text: string): string[] {
  const shown = text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, ' ').replace(/`[^`\n]*`/g, ' ');
  return (shown.match(/[A-Za-z0-9_.+/#:@=^-]+/g) ?? []).map((w) => w.replace(/^[.:=-]+|[.:/=-]+$/g, '')).filter((w) => /[A-Za-z]/.test(w));
}

export function isAllowed(word: string, allowed: Set<string>, folders: readonly string[]): boolean {
  if (allowed.has(word) || TECHNICAL_TERMS.includes(word)) return true;
  if (HEX.test(word) || TIME_ZONE.test(word) || PGP.has(word.toLowerCase())) return true;
  // The header's UTC offset beside the zone name (UTC+08:00 Asia/Taipei, issue 16 item 12).
  if (/^UTC[+-]\d\d:\d\d$/.test(word)) return true;
  if (folders.some((f) => word.startsWith(f))) return true;
  // A control key as the footer names it (^E: Ctrl+E).
  if (/^\^[A-Z]$/.test(word)) return true;
  // PKCS#11's constants (CKR_*, CKM_*, CKA_*) and functions (C_InitToken) as the HSM's papers name them.
  if (/^CK[RMAFOKU]_[A-Z0-9_]+$/.test(word) || /^C_[A-Z][A-Za-z]+$/.test(word)) return true;
  return false;
}

export interface Finding {
  word: string;
  screen: string;
}

/** Each word outside the allowlist, once per screen it is on. */
export function unexpectedWords(screens: Array<{ name: string; text: string }>, allowed: Allowed): Finding[] {
  const words = new Set(allowed.words);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const screen of screens) {
    for (const word of latinWords(screen.text)) {
      if (isAllowed(word, words, allowed.folders)) continue;
      const key = `${word}\0${screen.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ word, screen: screen.name });
    }
  }
  return findings;
}

/** One line per word, with the first screens it was on: what the test failure shows. */
export function describeFindings(findings: Finding[]): string {
  const byWord = new Map<string, string[]>();
  for (const f of findings) byWord.set(f.word, [...(byWord.get(f.word) ?? []), f.screen]);
  return [...byWord]
    .map(([word, screens]) => `  ${word}    on ${screens.slice(0, 2).join('; ')}${screens.length > 2 ? ` and ${screens.length - 2} more` : ''}`)
    .join('\n');
}
