// Every failure at the PKCS#11 boundary becomes an HsmError: the CKR name (for the journal
// and for people who know PKCS#11), a plain-language message, and a hint that says what is
// safe to do next. Real HSMs lock the PIN after a few wrong tries, so PIN hints are careful.
import { ExitCode, KeyceremonyError, type ErrorDetails } from '../errors.js';
import { ckrName, isPkcs11Error } from './pkcs11.js';

interface Explanation {
  message: string;
  hint: string;
}

/** What each CKR means for the people at the ceremony; the UI translates these hints by their exact text. */
export const CKR_EXPLANATIONS: Readonly<Record<string, Explanation>> = {
  CKR_PIN_INCORRECT: {
    message: 'the HSM refused the PIN',
    hint: 'the token counts failed logins and locks the PIN after a few; stop and check the share set before trying again',
  },
  CKR_PIN_LOCKED: {
    message: 'the PIN on the token is locked',
    hint: 'no login is possible with this PIN; the security officer must unblock it under the HSM vendor procedure, recorded as an exception',
  },
  CKR_PIN_LEN_RANGE: {
    message: 'the PIN length is outside what the token accepts',
    hint: 'set the credential pinLength within the token minimum and maximum shown by `keyceremony hsm info`',
  },
  CKR_PIN_INVALID: {
    message: 'the PIN contains characters the token does not accept',
    hint: 'use a credential pin alphabet the token supports',
  },
  CKR_PIN_EXPIRED: { message: 'the PIN has expired on the token', hint: 'change it with a rotate-credential step' },
  CKR_TOKEN_NOT_PRESENT: {
    message: 'the token is not present',
    hint: 'check that the HSM is connected and the token is inserted, then retry the step',
  },
  CKR_DEVICE_REMOVED: {
    message: 'the HSM device was removed during the operation',
    hint: 'reconnect the HSM; the step can be retried or the ceremony resumed with `keyceremony resume`',
  },
  CKR_DEVICE_ERROR: { message: 'the HSM reported a device error', hint: 'check the HSM status and logs before retrying' },
  CKR_SESSION_HANDLE_INVALID: {
    message: 'the HSM session is no longer valid',
    hint: 'the session was closed or the HSM restarted; resume the ceremony so the quorum can log in again',
  },
  CKR_SESSION_CLOSED: {
    message: 'the HSM session was closed',
    hint: 'resume the ceremony so the quorum can log in again',
  },
  CKR_MECHANISM_INVALID: {
    message: 'the HSM does not support the mechanism for this operation',
    hint: 'run `keyceremony hsm info` to see the supported mechanisms and choose a supported algorithm',
  },
  CKR_USER_NOT_LOGGED_IN: {
    message: 'the operation needs a login that has not happened',
    hint: 'the ceremony must unlock the token with a quorum before this step',
  },
  CKR_USER_ALREADY_LOGGED_IN: {
    message: 'a user is already logged in to the token',
    hint: 'lock the token (log out) before logging in again',
  },
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: {
    message: 'another user type is logged in to the token',
    hint: 'lock the token (log out) before logging in as a different user',
  },
  CKR_USER_PIN_NOT_INITIALIZED: {
    message: 'the user PIN on the token has not been initialised',
    hint: 'run the token initialisation ceremony first',
  },
  CKR_KEY_HANDLE_INVALID: {
    message: 'the key handle is not valid on the token',
    hint: 'the key may have been destroyed or the session lost; look the key up again by label',
  },
  CKR_OBJECT_HANDLE_INVALID: {
    message: 'the object handle is not valid on the token',
    hint: 'the object may have been destroyed; look it up again by label',
  },
  CKR_TEMPLATE_INCONSISTENT: {
    message: 'the token refused the key template',
    hint: 'the HSM policy may forbid these key attributes; check the vendor documentation',
  },
  CKR_ATTRIBUTE_VALUE_INVALID: { message: 'the token refused an attribute value', hint: 'check the key parameters' },
  CKR_KEY_SIZE_RANGE: { message: 'the token does not support this key size', hint: 'choose a supported key size' },
  CKR_DATA_LEN_RANGE: { message: 'the data to sign has a length the token does not accept', hint: 'check the signature algorithm' },
  CKR_SLOT_ID_INVALID: { message: 'the slot no longer exists', hint: 'tokens are found by label; check the HSM profile' },
  CKR_TOKEN_WRITE_PROTECTED: { message: 'the token is write protected', hint: 'check the token state with the HSM vendor tools' },
  CKR_CRYPTOKI_NOT_INITIALIZED: { message: 'the PKCS#11 module is not initialised', hint: 'this is a bug in keyceremony; please report it' },
  CKR_KEY_NOT_WRAPPABLE: {
    message: 'the token refused to wrap the key with this wrapping key',
    hint: 'a key generated for backup can be wrapped only under a key the security officer marked trusted',
  },
  CKR_KEY_UNEXTRACTABLE: {
    message: 'the key cannot leave the token',
    hint: 'only a key generated with backup: true can be backed up; a never-extractable key stays in its HSM',
  },
  CKR_WRAPPED_KEY_INVALID: {
    message: 'the token refused the wrapped key',
    hint: 'check the backup file and that the KEK comes from the share set named in its header',
  },
  CKR_UNWRAPPING_KEY_HANDLE_INVALID: {
    message: 'the unwrapping key is not on the token',
    hint: 'the session that held the KEK was closed; run the step again',
  },
  CKR_WRAPPING_KEY_HANDLE_INVALID: { message: 'the wrapping key is not on the token', hint: 'the session that held the KEK was closed; run the step again' },
  CKR_GENERAL_ERROR: { message: 'the HSM reported a general error', hint: 'check the HSM status and logs before retrying' },
  CKR_FUNCTION_FAILED: { message: 'the HSM could not complete the function', hint: 'check the HSM status and retry' },
};

export class HsmError extends KeyceremonyError {
  /** The CKR name, e.g. `CKR_PIN_INCORRECT`, or a keyceremony code such as `hsm.token-not-found`. */
  readonly ckr: string | undefined;
  readonly method: string | undefined;

  constructor(message: string, details: ErrorDetails & { ckr?: string; method?: string } = {}) {
    super(message, { ...details, code: details.code ?? details.ckr });
    this.ckr = details.ckr;
    this.method = details.method;
  }
}

/** Wraps a pkcs11js error (or passes through our own) with what was being done. */
export function toHsmError(error: unknown, doing: string): KeyceremonyError {
  if (error instanceof KeyceremonyError) return error;
  if (isPkcs11Error(error)) {
    const ckr = error.message.split(/[\s:]/)[0] ?? ckrName(error.code);
    const explained = CKR_EXPLANATIONS[ckr];
    return new HsmError(`${doing}: ${explained?.message ?? 'the HSM returned an error'} (${ckr})`, {
      ckr,
      method: error.method,
      hint: explained?.hint ?? 'check the HSM status and the PKCS#11 module logs',
      exitCode: ExitCode.failed,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HsmError(`${doing}: ${message}`, { hint: 'check the HSM profile and the PKCS#11 module', cause: error });
}

/** Runs a PKCS#11 call and converts its failure. */
export function hsmCall<T>(doing: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toHsmError(error, doing);
  }
}

export async function hsmCallAsync<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toHsmError(error, doing);
  }
}

export function hasExplanation(ckr: string): boolean {
  return ckr in CKR_EXPLANATIONS;
}
