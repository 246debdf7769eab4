// destroy-key in the record (issue 22 item 7). The check after C_DestroyObject shows one
// thing: the object is no longer found on that token. It says nothing about copies, so the
// record lists beside it the backups and copies of the same key (same SubjectPublicKeyInfo)
// that this journal records: backup files written by backup-key steps, and the key placed
// on another token (restore-key). Other ceremonies' journals are not read here.
import type { StepFact } from './ceremony-record.js';
import { groupedHex } from '../util/fingerprint.js';
import { asObject, asString } from './json-values.js';
import type { Context } from './record-context.js';
import { stepRef } from './script.js';

/** The backup files and other-token copies of the key with this SPKI SHA-256 that the journal records. */
export function recordedCopies(c: Context, spkiSha256: string, destroyedOn: string | undefined): string[] {
  const { t } = c;
  const backups = [...c.record.steps.values()].flatMap((step) =>
    asString(step.details.spkiSha256) === spkiSha256 ? step.outputs.filter((file) => file.kind === 'key-backup').map((file) => t.backupFileCopy(file.name, groupedHex(file.sha256).slice(0, 19), stepRef(c, step.id))) : [],
  );
  const onOtherTokens = c.record.keys.filter((key) => key.spkiSha256 === spkiSha256 && key.token !== destroyedOn).map((key) => t.tokenCopy(key.label, key.token, stepRef(c, key.step)));
  return [...backups, ...onOtherTokens];
}

/** What the destruction shows, then the copies the journal knows of (or that it knows of none). */
export function destroyedKeyLines(c: Context, fact: StepFact): string[] {
  const { t } = c;
  const token = asString(asObject(fact.prepared)?.token);
  const spkiSha256 = asString(fact.details.spkiSha256);
  const copies = spkiSha256 === undefined ? [] : recordedCopies(c, spkiSha256, token);
  return [t.provenGone(token ?? '?'), copies.length === 0 ? t.keyCopiesNone : `${t.keyCopies}${t.colon}${copies.join(t.listSeparator)}`, t.keyCopiesElsewhere];
}
