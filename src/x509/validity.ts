// A certificate's validity from its profile: `years` or `days` after notBefore (at the
// profile's wall-clock time in its zone when it names one: GRCA ends certificates at
// 23:59:59 Asia/Taipei), or a fixed notAfter (GRCA G3 itself ends on 2049-12-31). Under an
// issuer, a notAfter past the issuer's is capped there or refused, as the profile says
// (limitToIssuer; refuse when it says nothing, since RFC 5280 §6.1.3 would reject it anyway).
// Pure: the clock comes in as notBefore, so tests and pre-ceremony checks can pick any date.
import { InputError } from '../errors.js';
import { wholeSeconds } from './der.js';
import type { ProfileData } from './profile.js';
import { addDays, addYears, formatUtc, fromLocal, toLocal } from './time.js';

/** The notAfter the profile gives for this notBefore, before any issuer is considered. */
export function profileNotAfter(profile: ProfileData, notBefore: Date): Date {
  const start = wholeSeconds(notBefore);
  const { years, days, notAfter, notAfterTime } = profile.validity;
  if (notAfter !== undefined) return new Date(notAfter);
  const zone = notAfterTime?.timeZone ?? 'UTC';
  const local = toLocal(start, zone);
  const day = years !== undefined ? addYears(local, years) : addDays(local, days ?? 0);
  if (!notAfterTime) return fromLocal(day, zone);
  const [hour, minute, second] = notAfterTime.time.split(':').map(Number) as [number, number, number];
  return fromLocal({ ...day, hour, minute, second }, zone);
}

/** Whether the profile caps a notAfter past the issuer's (`cap`) or refuses to issue (`refuse`, the default). */
export function issuerLimit(profile: ProfileData): 'cap' | 'refuse' {
  return profile.validity.limitToIssuer ?? 'refuse';
}

/** Where the profile's validity stands against the issuer's, without throwing: for lints and pre-ceremony checks. */
export function validityAgainstIssuer(profile: ProfileData, notBefore: Date, issuerNotAfter: Date): { notAfter: Date; capped: boolean; refused: boolean } {
  const notAfter = profileNotAfter(profile, notBefore);
  if (notAfter <= issuerNotAfter) return { notAfter, capped: false, refused: false };
  return issuerLimit(profile) === 'cap' ? { notAfter: issuerNotAfter, capped: true, refused: false } : { notAfter, capped: false, refused: true };
}

function profileName(profile: ProfileData): string {
  const file = (profile as { file?: string }).file;
  return file ? `X.509 profile ${file}` : 'the X.509 profile';
}

/**
 * notBefore (whole seconds) and notAfter from the profile. With an issuer's notAfter, a later
 * notAfter is capped or refused as the profile says; a validity that ends before it starts
 * (a fixed notAfter already past) is refused.
 */
export function profileValidity(profile: ProfileData, notBefore: Date, issuerNotAfter?: Date): { notBefore: Date; notAfter: Date } {
  const start = wholeSeconds(notBefore);
  const against = issuerNotAfter === undefined ? undefined : validityAgainstIssuer(profile, start, issuerNotAfter);
  const notAfter = against?.notAfter ?? profileNotAfter(profile, start);
  if (against?.refused) {
    throw new InputError(
      `${profileName(profile)} gives notAfter ${formatUtc(notAfter)}, after the issuer's notAfter ${formatUtc(issuerNotAfter!)}, and says limitToIssuer: refuse`,
      {
        code: 'x509.validity-beyond-issuer',
        hint: 'nothing was signed; issue before the issuer is that close to its end, renew the issuer first, or use a profile with limitToIssuer: cap',
      },
    );
  }
  if (notAfter <= start) {
    throw new InputError(`${profileName(profile)} gives notAfter ${formatUtc(notAfter)}, which is not after notBefore ${formatUtc(start)}`, {
      code: 'x509.validity-empty',
      hint: 'nothing was signed; a fixed notAfter must lie in the future',
    });
  }
  return { notBefore: start, notAfter };
}
