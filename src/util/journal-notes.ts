// The fixed words the engine writes into journal records about what happened (an interruption,
// a restart, what resume adopted). They are part of the record, in English as every journal is,
// and the report shows them in the reader's language: each has a key, and the report's
// catalogues (src/report/i18n.ts) say each one in en and zh-TW. A note not listed here (an
// older journal's, or one with a name in it) is shown as it was recorded.

export const JOURNAL_NOTES = {
  interrupted: 'stopped on request; HSM sessions logged out; resume with `keyceremony resume`',
  reconciledFromHsm: 'made just before the restart and never recorded; the witnesses adopted it (see hsm.unrecorded-key)',
  reconciledFromJournal: 'completed before the restart; adopted from its journal record, not repeated',
  signOffFromJournal: 'signed off before the restart; adopted from its journal record, not asked again',
  outputMovedAside: 'written just before the interruption and never recorded; moved aside, the step runs again',
  backupAdopted: 'a backup file written just before the interruption and never recorded; the witnesses adopted it',
  sharesDiscarded: 'the process stopped before the token was set; custodians destroy these shares',
} as const;

export type JournalNote = keyof typeof JOURNAL_NOTES;

/** The signal an interruption records when no one stopped it at the terminal and no signal came. */
export const SIGNAL_UNKNOWN = 'unknown';
/** The signal an interruption records when people stopped it at the terminal (Ctrl+C, confirmed). */
export const SIGNAL_AT_TERMINAL = 'none: stopped at the terminal';

/** The key of a recorded note, or undefined for words that are not one of the engine's fixed notes. */
export function journalNoteKey(text: string): JournalNote | undefined {
  return (Object.keys(JOURNAL_NOTES) as JournalNote[]).find((key) => JOURNAL_NOTES[key] === text);
}
