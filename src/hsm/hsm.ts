// The narrow door to the HSM. Everything else in keyceremony talks to these two
// interfaces, never to pkcs11js; tests wrap them to inject faults SoftHSM cannot produce.
import type { SignMechanism } from './sign-mechanism.js';
import type {
  CertificateObject,
  HashName,
  KeyAlgorithm,
  KeyPairInfo,
  MechanismInfo,
  MechanismSupport,
  ModuleInfo,
  PrivateKeyAttributes,
  RestoredKey,
  StoredCertificate,
  TokenInfo,
  UserType,
  WrapMechanismSupport,
} from './types.js';

export interface LoginOptions {
  /**
   * A real HSM locks the PIN after a few failures. When the token says the next wrong PIN is
   * the last, login refuses unless the caller has asked the witnesses and passes true.
   */
  allowFinalTry?: boolean;
}

/**
 * A key-encryption key on a token as a session object: it goes when its session closes, and
 * works only in the session that made it. Holds no key bytes, only the label it was given.
 */
export interface SessionKek {
  readonly label: string;
}

export interface HsmSession {
  readonly token: TokenInfo;
  login(userType: UserType, pin: Buffer, options?: LoginOptions): void;
  logout(): void;
  readonly loggedInAs: UserType | undefined;
  /** C_InitPIN: the SO, logged in, sets the first user PIN. */
  initUserPin(pin: Buffer): void;
  /** C_SetPIN: the logged-in user changes their own PIN. */
  setPin(oldPin: Buffer, newPin: Buffer): void;
  /** `backup`: extractable, but only wrapped under a trusted key (key-templates.ts). */
  generateKeyPair(label: string, algorithm: KeyAlgorithm, options?: { backup?: boolean }): Promise<KeyPairInfo>;
  findKeyPair(label: string): KeyPairInfo | undefined;
  findKeyPairById(id: string): KeyPairInfo | undefined;
  listKeyPairs(): KeyPairInfo[];
  privateKeyAttributes(label: string): PrivateKeyAttributes;
  /** Signs `data` (not a digest): RSA PKCS#1 v1.5 or ECDSA (raw r||s). */
  sign(label: string, hash: HashName, data: Uint8Array): Promise<Buffer>;
  /** The mechanism sign() uses for this key and hash on this token (sign-mechanism.ts). */
  signMechanism(label: string, hash: HashName): SignMechanism;
  /**
   * Puts an X.509 certificate of the key pair `label` on the token (CKO_CERTIFICATE, public,
   * not modifiable) with the key's label and CKA_ID, so CA software finds key and certificate
   * together. The same certificate there already is kept (a resumed step); another one
   * under the label is refused.
   */
  storeCertificate(label: string, certificate: CertificateObject): StoredCertificate;
  /** Destroys both halves of the key pair, then checks that neither can be found. */
  destroyKeyPair(label: string): void;
  /**
   * The SO, logged in, puts the KEK on the token as a trusted, sensitive, non-extractable AES
   * session object that can only wrap and unwrap. It outlives the SO logout in this session,
   * so the user can log in next and wrap or unwrap with it.
   */
  createSessionKek(label: string, kek: Buffer): SessionKek;
  /** C_WrapKey of the private key under the KEK (CKM_AES_KEY_WRAP_PAD); only a key generated for backup. */
  wrapPrivateKey(kek: SessionKek, label: string): Buffer;
  /**
   * C_UnwrapKey of a wrapped private key as a sensitive token key with the label and CKA_ID
   * given, plus its public half from the SPKI; a test signature must verify under that SPKI,
   * or both are destroyed again. Refuses a token that already holds the label.
   */
  restoreKeyPair(kek: SessionKek, wrapped: Buffer, key: RestoredKey): Promise<KeyPairInfo>;
  /** Destroys the session KEK, then checks that it cannot be found. */
  destroySessionKek(kek: SessionKek): void;
  /** Values of the public data objects (CKO_DATA) with this application and label. */
  readPublicData(application: string, label: string): Buffer[];
  /**
   * Writes a public data object on the token that cannot be changed or destroyed
   * (CKA_MODIFIABLE and CKA_DESTROYABLE false), then destroys every other data object with the
   * same application and label that can be destroyed (ones written before CKA_DESTROYABLE was
   * set). The ones that cannot stay: readers make sense of them (share-binding.ts).
   */
  replacePublicData(application: string, label: string, value: Buffer): void;
  /**
   * Values of the private data objects (CKO_DATA, CKA_PRIVATE true: seen only logged in as
   * the user) with this application and label, one per object found.
   */
  readPrivateData(application: string, label: string): Buffer[];
  /**
   * Writes a private, modifiable data object with this application and label, then destroys
   * the earlier ones with the same application and label: a crash in between leaves the new
   * and the old, never none. The ledger anchors (steps/shared/ledger-anchor-run.ts).
   */
  writePrivateData(application: string, label: string, value: Buffer): void;
  close(): void;
}

export interface Hsm {
  readonly module: ModuleInfo;
  /** Every token present, initialised or not. */
  tokens(): TokenInfo[];
  /** The token with this label (and serial, when given); an HsmError naming the label otherwise. */
  findToken(label: string, serial?: string): TokenInfo;
  mechanisms(label: string, serial?: string): MechanismSupport[];
  /** C_GetMechanismList of the token (CKM_* values). */
  mechanismList(label: string, serial?: string): Set<number>;
  /** C_GetMechanismInfo of one mechanism on the token. */
  mechanismInfo(label: string, mechanism: number, serial?: string): MechanismInfo;
  /** The wrapping mechanisms of the token (key-templates.ts WRAPPING_MECHANISMS), whether it offers them and for what. */
  wrappingMechanisms(label: string, serial?: string): WrapMechanismSupport[];
  /** C_InitToken on an uninitialised token only: an existing token is never wiped. */
  initToken(label: string, soPin: Buffer): TokenInfo;
  openSession(label: string, serial?: string): HsmSession;
  finalize(): void;
}

/** Opens a session, logs in, runs `work`, and always logs out and closes. */
export async function withSession<T>(
  hsm: Hsm,
  token: { label: string; serial?: string | undefined },
  login: { userType: UserType; pin: Buffer; options?: LoginOptions } | undefined,
  work: (session: HsmSession) => Promise<T> | T,
): Promise<T> {
  const session = hsm.openSession(token.label, token.serial);
  try {
    if (login) session.login(login.userType, login.pin, login.options);
    return await work(session);
  } finally {
    try {
      if (session.loggedInAs) session.logout();
    } finally {
      session.close();
    }
  }
}
