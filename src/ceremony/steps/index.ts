// One fragment per step type, looked up by the compiler.
import { acceptCertificate, createCsr, issueCertificate, issueCrl, selfSign } from './certificates.js';
import { confirm } from './confirm.js';
import { destroyKey } from './destroy-key.js';
import { exception } from './exception.js';
import { generateKey } from './generate-key.js';
import { initToken, splitCredential } from './init-token.js';
import type { StepKinds } from './kind.js';
import { record } from './record.js';
import { rotateCredential } from './rotate-credential.js';
import { signIn, signOff } from './sign-in.js';
import { lock, unlock } from './unlock.js';

export const STEP_KINDS: StepKinds = {
  'sign-in': signIn,
  record,
  confirm,
  exception,
  'sign-off': signOff,
  'init-token': initToken,
  'split-credential': splitCredential,
  'rotate-credential': rotateCredential,
  unlock,
  lock,
  'generate-key': generateKey,
  'create-csr': createCsr,
  'self-sign': selfSign,
  'issue-certificate': issueCertificate,
  'accept-certificate': acceptCertificate,
  'issue-crl': issueCrl,
  'destroy-key': destroyKey,
};

export type { ActorName, StepKind } from './kind.js';
