// One PKCS#11 session on one token: login, token setup, key pairs, signing.
// Signing is serialised per session: PKCS#11 allows one active operation per session, and
// overlapping C_SignInit/C_Sign on one session corrupts both.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { fingerprint } from '../util/fingerprint.js';
import type { HsmSession, LoginOptions, SessionKek } from './hsm.js';
import { HsmError, hsmCall, hsmCallAsync } from './hsm-error.js';
import {
  BACKUP_WRAP_MECHANISM,
  CURVE_PARAMS,
  RSA_EXPONENT,
  curveFromParams,
  keyPairMechanism,
  privateKeyTemplate,
  publicKeyObjectTemplate,
  publicKeyTemplate,
  sessionKekTemplate,
  tokenCopyTemplate,
} from './key-templates.js';
import { pkcs11, type Handle, type Pkcs11, type Template } from './pkcs11.js';
import type { TokenCapabilities } from './profile.js';
import { ecSpki, rsaSpki, spkiAlgorithm, spkiParts, subjectKeyIdentifier } from './public-key.js';
import { chooseSignMechanism, type SignMechanism } from './sign-mechanism.js';
import { formatPkcs11Uri } from './uri.js';
import {
  describeAlgorithm,
  type CertificateObject,
  type StoredCertificate,
  type HashName,
  type KeyAlgorithm,
  type KeyPairInfo,
  type PrivateKeyAttributes,
  type RestoredKey,
  type RsaBits,
  type TokenInfo,
  type UserType,
} from './types.js';

/** How tokens refuse CKA_COPYABLE false in a C_CopyObject template (copyToToken). */
const COPYABLE_REFUSED = new Set(['CKR_ATTRIBUTE_READ_ONLY', 'CKR_ATTRIBUTE_TYPE_INVALID', 'CKR_TEMPLATE_INCONSISTENT', 'CKR_GENERAL_ERROR']);

const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function bitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

export interface SessionContext {
  /** The token's information read again (PIN flags change with every login). */
  refreshToken: () => TokenInfo;
  onClose: () => void;
  /** What the token can do, as the HSM profile says. */
  capabilities: TokenCapabilities;
  /** C_GetMechanismList of the token. */
  mechanisms: () => ReadonlySet<number>;
}

export class Pkcs11Session implements HsmSession {
  private signQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private mechanismList: ReadonlySet<number> | undefined;
  /** The session KEKs this session made, by the object handed out (which holds no handle). */
  private readonly keks = new Map<SessionKek, Handle>();
  loggedInAs: UserType | undefined;

  constructor(
    private readonly lib: Pkcs11,
    private readonly handle: Handle,
    private tokenInfo: TokenInfo,
    private readonly context: SessionContext,
  ) {}

  get token(): TokenInfo {
    return this.tokenInfo;
  }

  private get tokenLabel(): string {
    return this.tokenInfo.label;
  }

  login(userType: UserType, pin: Buffer, options: LoginOptions = {}): void {
    const token = (this.tokenInfo = this.context.refreshToken());
    const who = userType === 'so' ? 'security officer (SO)' : 'user';
    const locked = userType === 'so' ? token.pin.soPinLocked : token.pin.userPinLocked;
    const finalTry = userType === 'so' ? token.pin.soPinFinalTry : token.pin.userPinFinalTry;
    if (locked) {
      throw new HsmError(`the ${who} PIN of token "${token.label}" is locked`, {
        ckr: 'CKR_PIN_LOCKED',
        hint: 'no login is possible; the PIN must be unblocked under the HSM vendor procedure, recorded as an exception',
      });
    }
    if (finalTry && !options.allowFinalTry) {
      throw new HsmError(`the next wrong ${who} PIN locks token "${token.label}" for good`, {
        code: 'hsm.pin-final-try',
        hint: 'check every share against the manifest first; the witnesses must approve this last try explicitly',
      });
    }
    const type = userType === 'so' ? pkcs11.CKU_SO : pkcs11.CKU_USER;
    // pkcs11js takes the PIN as a JS string; it exists only for the duration of this call.
    hsmCall(`logging in to token "${token.label}" as ${who}`, () => this.lib.C_Login(this.handle, type, pin.toString('utf8')));
    this.loggedInAs = userType;
  }

  logout(): void {
    hsmCall(`logging out of token "${this.tokenLabel}"`, () => this.lib.C_Logout(this.handle));
    this.loggedInAs = undefined;
  }

  initUserPin(pin: Buffer): void {
    hsmCall(`setting the first user PIN on token "${this.tokenLabel}"`, () => this.lib.C_InitPIN(this.handle, pin.toString('utf8')));
  }

  setPin(oldPin: Buffer, newPin: Buffer): void {
    hsmCall(`changing the PIN on token "${this.tokenLabel}"`, () => this.lib.C_SetPIN(this.handle, oldPin.toString('utf8'), newPin.toString('utf8')));
  }

  private find(template: Template): Handle[] {
    return hsmCall(`searching token "${this.tokenLabel}"`, () => {
      this.lib.C_FindObjectsInit(this.handle, template);
      try {
        const found: Handle[] = [];
        for (;;) {
          const batch = this.lib.C_FindObjects(this.handle, 64);
          found.push(...batch);
          if (batch.length < 64) return found;
        }
      } finally {
        this.lib.C_FindObjectsFinal(this.handle);
      }
    });
  }

  private attributes(object: Handle, types: number[]): Buffer[] {
    const result = hsmCall(`reading key attributes on token "${this.tokenLabel}"`, () =>
      this.lib.C_GetAttributeValue(
        this.handle,
        object,
        types.map((type) => ({ type })),
      ),
    );
    return result.map((attribute) => attribute.value);
  }

  private keyObjects(label: string): Handle[] {
    return [
      ...this.find([
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY },
        { type: pkcs11.CKA_LABEL, value: label },
      ]),
      ...this.find([
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PUBLIC_KEY },
        { type: pkcs11.CKA_LABEL, value: label },
      ]),
    ];
  }

  private publicKeys(template: Template): Handle[] {
    return this.find([{ type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PUBLIC_KEY }, ...template]);
  }

  private privateKey(label: string): Handle {
    const found = this.find([
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY },
      { type: pkcs11.CKA_LABEL, value: label },
    ]);
    if (found.length === 0) {
      throw new HsmError(`no private key with label "${label}" on token "${this.tokenLabel}"`, {
        code: 'hsm.key-not-found',
        hint: this.loggedInAs ? 'check the key label in the ceremony definition' : 'private keys are visible only after the token is unlocked by the quorum',
      });
    }
    if (found.length > 1) throw new HsmError(`${found.length} private keys have label "${label}" on token "${this.tokenLabel}"`, { code: 'hsm.key-ambiguous' });
    return found[0]!;
  }

  private describePublicKey(object: Handle): KeyPairInfo {
    const [label, id, keyType] = this.attributes(object, [pkcs11.CKA_LABEL, pkcs11.CKA_ID, pkcs11.CKA_KEY_TYPE]);
    const idHex = id!.toString('hex');
    const labelText = label!.toString('utf8');
    let algorithm: KeyAlgorithm;
    let spki: Buffer;
    if (ulong(keyType!) === pkcs11.CKK_RSA) {
      const [modulus, exponent] = this.attributes(object, [pkcs11.CKA_MODULUS, pkcs11.CKA_PUBLIC_EXPONENT]);
      algorithm = { type: 'RSA', bits: bitLength(modulus!) as RsaBits };
      spki = rsaSpki(modulus!, exponent!);
    } else {
      const [params, point] = this.attributes(object, [pkcs11.CKA_EC_PARAMS, pkcs11.CKA_EC_POINT]);
      const ec = ecSpki(params!, point!);
      algorithm = { type: 'EC', curve: ec.curve };
      spki = ec.spki;
    }
    return {
      label: labelText,
      id: idHex,
      algorithm,
      spki,
      fingerprint: fingerprint(spki),
      uri: formatPkcs11Uri({ token: this.tokenLabel, object: labelText, id: idHex, type: 'private' }),
    };
  }

  findKeyPair(label: string): KeyPairInfo | undefined {
    const found = this.publicKeys([{ type: pkcs11.CKA_LABEL, value: label }]);
    if (found.length > 1) throw new HsmError(`${found.length} public keys have label "${label}" on token "${this.tokenLabel}"`, { code: 'hsm.key-ambiguous' });
    return found[0] ? this.describePublicKey(found[0]) : undefined;
  }

  findKeyPairById(id: string): KeyPairInfo | undefined {
    const found = this.publicKeys([{ type: pkcs11.CKA_ID, value: Buffer.from(id, 'hex') }]);
    return found[0] ? this.describePublicKey(found[0]) : undefined;
  }

  listKeyPairs(): KeyPairInfo[] {
    return this.publicKeys([]).map((object) => this.describePublicKey(object));
  }

  privateKeyAttributes(label: string): PrivateKeyAttributes {
    const names = [
      ['token', pkcs11.CKA_TOKEN],
      ['private', pkcs11.CKA_PRIVATE],
      ['sensitive', pkcs11.CKA_SENSITIVE],
      ['alwaysSensitive', pkcs11.CKA_ALWAYS_SENSITIVE],
      ['extractable', pkcs11.CKA_EXTRACTABLE],
      ['neverExtractable', pkcs11.CKA_NEVER_EXTRACTABLE],
      ['local', pkcs11.CKA_LOCAL],
      ['modifiable', pkcs11.CKA_MODIFIABLE],
      ['sign', pkcs11.CKA_SIGN],
      ['signRecover', pkcs11.CKA_SIGN_RECOVER],
      ['decrypt', pkcs11.CKA_DECRYPT],
      ['unwrap', pkcs11.CKA_UNWRAP],
      ['derive', pkcs11.CKA_DERIVE],
    ] as const;
    const key = this.privateKey(label);
    const values = this.attributes(
      key,
      names.map(([, type]) => type),
    );
    return {
      ...Object.fromEntries(names.map(([name], i) => [name, values[i]![0] === 1])),
      copyable: this.copyable(key),
      wrapWithTrusted: this.wrapWithTrusted(key),
    } as unknown as PrivateKeyAttributes;
  }

  /** CKA_COPYABLE (PKCS#11 2.40); a token without the attribute copies any object (NSS softoken 3.87). */
  private copyable(object: Handle): boolean {
    try {
      const value = this.lib.C_GetAttributeValue(this.handle, object, [{ type: pkcs11.CKA_COPYABLE }])[0]?.value;
      return !(value instanceof Buffer && value.length > 0 && value[0] === 0);
    } catch {
      return true;
    }
  }

  /** CKA_WRAP_WITH_TRUSTED (PKCS#11 2.20); a token that does not know it has no key restricted so. */
  private wrapWithTrusted(key: Handle): boolean {
    try {
      const value = this.lib.C_GetAttributeValue(this.handle, key, [{ type: pkcs11.CKA_WRAP_WITH_TRUSTED }])[0]?.value;
      return value instanceof Buffer && value[0] === 1;
    } catch {
      return false;
    }
  }

  async generateKeyPair(label: string, algorithm: KeyAlgorithm, options: { backup?: boolean } = {}): Promise<KeyPairInfo> {
    if (this.keyObjects(label).length > 0) {
      throw new HsmError(`a key with label "${label}" already exists on token "${this.tokenLabel}"`, {
        code: 'hsm.key-exists',
        hint: 'keyceremony never replaces a key; choose a new label or destroy the old key in its own ceremony',
      });
    }
    const placement = this.context.capabilities.keyCopy ? 'session' : 'token';
    const generated = await hsmCallAsync(`generating ${describeAlgorithm(algorithm)} key "${label}" on token "${this.tokenLabel}"`, () =>
      this.lib.C_GenerateKeyPairAsync(
        this.handle,
        { mechanism: keyPairMechanism(algorithm) },
        publicKeyTemplate(algorithm, label, placement),
        privateKeyTemplate(algorithm, label, placement, options),
      ),
    );
    const made: Handle[] = placement === 'token' ? [generated.privateKey, generated.publicKey] : [];
    try {
      const ski = subjectKeyIdentifier(this.describePublicKey(generated.publicKey).spki);
      if (placement === 'session') {
        // The session objects go with the session whatever happens; the token objects are
        // their copies, private half first, so that an interruption between the two copies
        // leaves a label that a new generation refuses rather than a public key that looks
        // like a whole pair.
        made.push(this.copyToToken(generated.privateKey, ski, label));
        made.push(this.copyToToken(generated.publicKey, ski, label));
        this.destroyHandles([generated.privateKey, generated.publicKey]);
      } else {
        const id: Template = [{ type: pkcs11.CKA_ID, value: ski }];
        hsmCall(`setting the key identifier of key "${label}" on token "${this.tokenLabel}"`, () => {
          this.lib.C_SetAttributeValue(this.handle, generated.privateKey, id);
          this.lib.C_SetAttributeValue(this.handle, generated.publicKey, id);
        });
      }
      this.checkGenerated(made[1]!, label, algorithm, options.backup === true);
      return this.describePublicKey(made[1]!);
    } catch (error) {
      // A key that is not what was asked for must not stay on the token under this label.
      this.destroyHandles([...made, ...this.sessionKeyObjects(label)]);
      throw error;
    }
  }

  /**
   * The token copy of a generated session object (key-templates.ts tokenCopyTemplate). A
   * private key is asked for CKA_COPYABLE false as well; a token that refuses that attribute
   * in a copy gets the copy without it, and the attribute read back (privateKeyAttributes,
   * journaled and in the report) shows copyable true. Measured: SoftHSM 2.6.1 answers
   * CKR_ATTRIBUTE_READ_ONLY, NSS softoken 3.87 (which has no CKA_COPYABLE) CKR_GENERAL_ERROR.
   */
  private copyToToken(object: Handle, ski: Buffer, label: string): Handle {
    const doing = `storing key "${label}" on token "${this.tokenLabel}"`;
    const copy = (copyable: boolean) => hsmCall(doing, () => this.lib.C_CopyObject(this.handle, object, tokenCopyTemplate(ski, { copyable })));
    const [keyClass] = this.attributes(object, [pkcs11.CKA_CLASS]);
    if (ulong(keyClass!) !== pkcs11.CKO_PRIVATE_KEY) return copy(true);
    try {
      return copy(false);
    } catch (error) {
      if (!(error instanceof HsmError && COPYABLE_REFUSED.has(error.ckr ?? ''))) throw error;
      return copy(true);
    }
  }

  private sessionKeyObjects(label: string): Handle[] {
    return this.keyObjects(label).filter((object) => this.attributes(object, [pkcs11.CKA_TOKEN])[0]![0] !== 1);
  }

  /** Reads the new key back: the token must have made exactly what the template asked for. */
  private checkGenerated(publicKey: Handle, label: string, algorithm: KeyAlgorithm, backup: boolean): void {
    const problems: string[] = [];
    if (algorithm.type === 'RSA') {
      const [modulus, exponent] = this.attributes(publicKey, [pkcs11.CKA_MODULUS, pkcs11.CKA_PUBLIC_EXPONENT]);
      if (bitLength(modulus!) !== algorithm.bits) problems.push(`modulus is ${bitLength(modulus!)} bits, not ${algorithm.bits}`);
      if (Buffer.compare(stripZeros(exponent!), RSA_EXPONENT) !== 0) {
        problems.push(`public exponent is 0x${exponent!.toString('hex')}, not 65537`);
      }
    } else {
      const [params] = this.attributes(publicKey, [pkcs11.CKA_EC_PARAMS]);
      if (!params!.equals(CURVE_PARAMS[algorithm.curve]))
        problems.push(`curve is ${curveFromParams(params!) ?? params!.toString('hex')}, not ${algorithm.curve}`);
    }
    const attributes = this.privateKeyAttributes(label);
    const required: Array<[keyof PrivateKeyAttributes, boolean]> = [
      ['token', true],
      ['private', true],
      ['sensitive', true],
      ['alwaysSensitive', true],
      // A key for backup may leave the HSM, wrapped under a trusted key only.
      ['extractable', backup],
      ['neverExtractable', !backup],
      ['wrapWithTrusted', backup],
      // A token that never sets CKA_LOCAL (NSS softoken; the profile says ckaLocal: false)
      // still shows a key that was never outside it by always-sensitive and never-extractable.
      ...(this.context.capabilities.ckaLocal ? [['local', true] as [keyof PrivateKeyAttributes, boolean]] : []),
      // CKA_ID = SKI is set in a copy (keyCopy) or on a modifiable key (HSM.md).
      ...(this.context.capabilities.keyCopy ? [['modifiable', false] as [keyof PrivateKeyAttributes, boolean]] : []),
      ['sign', true],
      ['signRecover', false],
      ['decrypt', false],
    ];
    for (const [name, expected] of required) {
      if (attributes[name] !== expected) problems.push(`private key ${name} is ${attributes[name]}, not ${expected}`);
    }
    if (problems.length > 0) {
      throw new HsmError(`the token made key "${label}" differently from what was asked: ${problems.join('; ')}`, {
        code: 'hsm.key-mismatch',
        hint: 'the key was destroyed; check the HSM policy and firmware before retrying',
      });
    }
  }

  signMechanism(label: string, hash: HashName): SignMechanism {
    const key = this.findKeyPair(label);
    if (!key) throw new HsmError(`no key with label "${label}" on token "${this.tokenLabel}"`, { code: 'hsm.key-not-found' });
    return this.mechanismFor(key.algorithm, hash);
  }

  private mechanismFor(algorithm: KeyAlgorithm, hash: HashName): SignMechanism {
    this.mechanismList ??= this.context.mechanisms();
    return chooseSignMechanism(algorithm, hash, this.mechanismList);
  }

  sign(label: string, hash: HashName, data: Uint8Array): Promise<Buffer> {
    const run = async () => {
      const key = this.findKeyPair(label);
      if (!key) throw new HsmError(`no key with label "${label}" on token "${this.tokenLabel}"`, { code: 'hsm.key-not-found' });
      const privateKey = this.privateKey(label);
      const mechanism = this.mechanismFor(key.algorithm, hash);
      const input = mechanism.hashedBy === 'node' ? createHash(NODE_HASH[hash]).update(data).digest() : Buffer.from(data);
      const doing = `signing with key "${label}" on token "${this.tokenLabel}"`;
      hsmCall(doing, () => this.lib.C_SignInit(this.handle, { mechanism: mechanism.type }, privateKey));
      return hsmCallAsync(doing, () => this.lib.C_SignAsync(this.handle, input, Buffer.alloc(1024)));
    };
    const result = this.signQueue.then(run, run);
    this.signQueue = result.catch(() => undefined);
    return result;
  }

  private destroyHandles(handles: Handle[]): void {
    for (const object of handles) hsmCall(`destroying a key object on token "${this.tokenLabel}"`, () => this.lib.C_DestroyObject(this.handle, object));
  }

  storeCertificate(label: string, certificate: CertificateObject): StoredCertificate {
    const key = this.findKeyPair(label);
    if (!key) throw new HsmError(`no key with label "${label}" on token "${this.tokenLabel}" for its certificate`, { code: 'hsm.key-not-found' });
    const existing = this.find([
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_CERTIFICATE },
      { type: pkcs11.CKA_LABEL, value: label },
    ]);
    const values = existing.map((object) => this.attributes(object, [pkcs11.CKA_VALUE])[0]!);
    if (values.some((value) => value.equals(certificate.value))) return { label, id: key.id, created: false };
    if (values.length > 0) {
      throw new HsmError(`token "${this.tokenLabel}" holds another certificate with label "${label}"`, {
        code: 'hsm.certificate-exists',
        hint: 'keyceremony never replaces a certificate on the token; check the token with the HSM vendor tools and record an exception',
      });
    }
    hsmCall(`storing the certificate of key "${label}" on token "${this.tokenLabel}"`, () =>
      this.lib.C_CreateObject(this.handle, [
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_CERTIFICATE },
        { type: pkcs11.CKA_CERTIFICATE_TYPE, value: pkcs11.CKC_X_509 },
        { type: pkcs11.CKA_TOKEN, value: true },
        { type: pkcs11.CKA_PRIVATE, value: false },
        { type: pkcs11.CKA_LABEL, value: label },
        { type: pkcs11.CKA_ID, value: Buffer.from(key.id, 'hex') },
        { type: pkcs11.CKA_SUBJECT, value: certificate.subject },
        { type: pkcs11.CKA_ISSUER, value: certificate.issuer },
        { type: pkcs11.CKA_SERIAL_NUMBER, value: certificate.serialNumber },
        { type: pkcs11.CKA_VALUE, value: certificate.value },
        { type: pkcs11.CKA_MODIFIABLE, value: false },
      ]),
    );
    return { label, id: key.id, created: true };
  }

  destroyKeyPair(label: string): void {
    const objects = this.keyObjects(label);
    if (objects.length === 0) throw new HsmError(`no key with label "${label}" on token "${this.tokenLabel}"`, { code: 'hsm.key-not-found' });
    this.destroyHandles(objects);
    const left = this.keyObjects(label).length;
    if (left > 0) {
      throw new HsmError(`${left} objects with label "${label}" are still on token "${this.tokenLabel}" after destruction`, {
        code: 'hsm.key-survived',
        hint: 'check the token with the HSM vendor tools; do not treat the key as destroyed',
      });
    }
  }

  createSessionKek(label: string, kek: Buffer): SessionKek {
    if (this.loggedInAs !== 'so') {
      throw new HsmError(`the key-encryption key "${label}" can be put on token "${this.tokenLabel}" only in a security officer (SO) session`, {
        code: 'hsm.kek-needs-so',
        hint: 'only the SO can mark a key trusted; log in as the SO first',
      });
    }
    if (kek.length !== 32) throw new HsmError(`the key-encryption key "${label}" is ${kek.length * 8} bits, not 256`, { code: 'hsm.kek-length' });
    const handle = hsmCall(`putting the key-encryption key "${label}" on token "${this.tokenLabel}"`, () =>
      this.lib.C_CreateObject(this.handle, sessionKekTemplate(label, kek)),
    );
    const made: SessionKek = Object.freeze({ label });
    this.keks.set(made, handle);
    const [trusted, sensitive, extractable, token] = this.attributes(handle, [
      pkcs11.CKA_TRUSTED,
      pkcs11.CKA_SENSITIVE,
      pkcs11.CKA_EXTRACTABLE,
      pkcs11.CKA_TOKEN,
    ]).map((value) => value[0] === 1);
    if (!trusted || !sensitive || extractable || token) {
      this.destroySessionKek(made);
      throw new HsmError(
        `the token made the key-encryption key "${label}" differently from what was asked (trusted ${trusted}, sensitive ${sensitive}, extractable ${extractable}, token object ${token})`,
        {
          code: 'hsm.kek-mismatch',
          hint: 'the key was destroyed; check the HSM policy before retrying',
        },
      );
    }
    return made;
  }

  private kekHandle(kek: SessionKek): Handle {
    const handle = this.keks.get(kek);
    if (!handle)
      throw new HsmError(`the key-encryption key "${kek.label}" is not on token "${this.tokenLabel}" in this session`, { code: 'hsm.kek-not-found' });
    return handle;
  }

  private requireMechanism(type: number, name: string, doing: string): void {
    this.mechanismList ??= this.context.mechanisms();
    if (!this.mechanismList.has(type)) {
      throw new HsmError(`token "${this.tokenLabel}" does not offer ${name}, needed for ${doing}`, {
        code: 'hsm.wrap-mechanism-missing',
        hint: '`keyceremony hsm info` lists the wrapping mechanisms of each token; this token cannot take part in key backup',
      });
    }
  }

  wrapPrivateKey(kek: SessionKek, label: string): Buffer {
    const kekHandle = this.kekHandle(kek);
    const attributes = this.privateKeyAttributes(label);
    // The token refuses these too; refusing first says why in plain words.
    if (!attributes.extractable || !attributes.wrapWithTrusted) {
      throw new HsmError(
        `key "${label}" on token "${this.tokenLabel}" was not generated for backup (${!attributes.extractable ? 'it is not extractable' : 'it could be wrapped by an untrusted key'})`,
        {
          code: 'hsm.key-not-for-backup',
          hint: 'only a key generated with backup: true can be backed up; a never-extractable key stays in its HSM',
        },
      );
    }
    const { name, type } = BACKUP_WRAP_MECHANISM;
    this.requireMechanism(type, name, 'key backup');
    const privateKey = this.privateKey(label);
    return hsmCall(`wrapping key "${label}" on token "${this.tokenLabel}" under "${kek.label}"`, () =>
      // Room for an RSA-4096 private key in PKCS#8 and the padding.
      this.lib.C_WrapKey(this.handle, { mechanism: type }, kekHandle, privateKey, Buffer.alloc(8192)),
    );
  }

  async restoreKeyPair(kek: SessionKek, wrapped: Buffer, key: RestoredKey): Promise<KeyPairInfo> {
    const kekHandle = this.kekHandle(kek);
    if (this.keyObjects(key.label).length > 0) {
      throw new HsmError(`a key with label "${key.label}" already exists on token "${this.tokenLabel}"`, {
        code: 'hsm.key-exists',
        hint: 'keyceremony never replaces a key; restore onto a token that does not hold this label',
      });
    }
    const { name, type } = BACKUP_WRAP_MECHANISM;
    this.requireMechanism(type, name, 'key restore');
    const algorithm = spkiAlgorithm(key.spki);
    const id = Buffer.from(key.id, 'hex');
    const privateKey = hsmCall(`unwrapping key "${key.label}" on token "${this.tokenLabel}" under "${kek.label}"`, () =>
      this.lib.C_UnwrapKey(this.handle, { mechanism: type }, kekHandle, wrapped, [
        ...privateKeyTemplate(algorithm, key.label, 'token', { backup: key.backup }),
        { type: pkcs11.CKA_ID, value: id },
      ]),
    );
    const made = [privateKey];
    try {
      made.push(
        hsmCall(`creating the public key "${key.label}" on token "${this.tokenLabel}"`, () =>
          this.lib.C_CreateObject(this.handle, publicKeyObjectTemplate(key.label, id, spkiParts(key.spki))),
        ),
      );
      await this.checkRestored(key, algorithm);
      return this.findKeyPair(key.label)!;
    } catch (error) {
      // A key that is not the one backed up must not stay on the token under its label.
      this.destroyHandles(made);
      throw error;
    }
  }

  /** The restored private key is sensitive, extractable only as asked, and signs what the SPKI verifies. */
  private async checkRestored(key: RestoredKey, algorithm: KeyAlgorithm): Promise<void> {
    const attributes = this.privateKeyAttributes(key.label);
    const problems: string[] = [];
    const required: Array<[keyof PrivateKeyAttributes, boolean]> = [
      ['token', true],
      ['private', true],
      ['sensitive', true],
      ['extractable', key.backup],
      ['wrapWithTrusted', key.backup],
      ['sign', true],
      ['decrypt', false],
    ];
    for (const [name, expected] of required) {
      if (attributes[name] !== expected) problems.push(`private key ${name} is ${attributes[name]}, not ${expected}`);
    }
    const challenge = randomBytes(32);
    const signature = await this.sign(key.label, 'SHA-256', challenge);
    const publicKey = createPublicKey({ key: key.spki, format: 'der', type: 'spki' });
    const verified = verify('sha256', challenge, algorithm.type === 'EC' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, signature);
    if (!verified) problems.push('a test signature of the restored private key does not verify under the public key of the backup');
    if (problems.length > 0) {
      throw new HsmError(`the key restored as "${key.label}" on token "${this.tokenLabel}" is not the key that was backed up: ${problems.join('; ')}`, {
        code: 'hsm.restored-key-mismatch',
        hint: 'the restored objects were destroyed; check the backup file and the KEK share set',
      });
    }
  }

  destroySessionKek(kek: SessionKek): void {
    const handle = this.kekHandle(kek);
    hsmCall(`destroying the key-encryption key "${kek.label}" on token "${this.tokenLabel}"`, () => this.lib.C_DestroyObject(this.handle, handle));
    this.keks.delete(kek);
    const left = this.find([
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
      { type: pkcs11.CKA_LABEL, value: kek.label },
    ]);
    if (left.length > 0) {
      throw new HsmError(`the key-encryption key "${kek.label}" is still on token "${this.tokenLabel}" after destruction`, {
        code: 'hsm.kek-survived',
        hint: 'close the session (a session object goes with it) and check the token with the HSM vendor tools',
      });
    }
  }

  /** The token's data objects of this application and label: public ones, or private ones (which need a login). */
  private dataObjects(application: string, label: string, privateObjects = false): Handle[] {
    return this.find([
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_DATA },
      { type: pkcs11.CKA_TOKEN, value: true },
      { type: pkcs11.CKA_PRIVATE, value: privateObjects },
      { type: pkcs11.CKA_APPLICATION, value: application },
      { type: pkcs11.CKA_LABEL, value: label },
    ]);
  }

  readPublicData(application: string, label: string): Buffer[] {
    return this.dataObjects(application, label).map((object) => this.attributes(object, [pkcs11.CKA_VALUE])[0]!);
  }

  /** False only for an object the token says is not destroyable (CKA_DESTROYABLE, PKCS#11 2.40); a token that lacks the attribute destroys anything. */
  private destroyable(object: Handle): boolean {
    try {
      const value = this.lib.C_GetAttributeValue(this.handle, object, [{ type: pkcs11.CKA_DESTROYABLE }])[0]?.value;
      return !(value instanceof Buffer && value.length > 0 && value[0] === 0);
    } catch {
      return true;
    }
  }

  replacePublicData(application: string, label: string, value: Buffer): void {
    const before = this.dataObjects(application, label);
    const template: Template = [
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_DATA },
      { type: pkcs11.CKA_TOKEN, value: true },
      { type: pkcs11.CKA_PRIVATE, value: false },
      { type: pkcs11.CKA_MODIFIABLE, value: false },
      { type: pkcs11.CKA_APPLICATION, value: application },
      { type: pkcs11.CKA_LABEL, value: label },
      { type: pkcs11.CKA_VALUE, value },
    ];
    const create = (extra: Template) =>
      hsmCall(`writing data object "${label}" on token "${this.tokenLabel}"`, () => this.lib.C_CreateObject(this.handle, [...template, ...extra]));
    try {
      // Nobody, logged in or not, can remove it: C_DestroyObject answers CKR_ACTION_PROHIBITED
      // (measured on SoftHSM 2.6.1, SoftHSM.md).
      create([{ type: pkcs11.CKA_DESTROYABLE, value: false }]);
    } catch (error) {
      // A token older than PKCS#11 2.40 does not know the attribute. The record is still
      // written (a set must be bound in the session that sets it, after the PIN is set), and
      // can be removed there: what holds then is the definition's pin (docs/reliability.md).
      if (!(error instanceof HsmError && error.ckr === 'CKR_ATTRIBUTE_TYPE_INVALID')) throw error;
      create([]);
    }
    for (const object of before.filter((o) => this.destroyable(o))) {
      hsmCall(`removing the previous data object "${label}" on token "${this.tokenLabel}"`, () => this.lib.C_DestroyObject(this.handle, object));
    }
  }

  readPrivateData(application: string, label: string): Buffer[] {
    return this.dataObjects(application, label, true).map((object) => this.attributes(object, [pkcs11.CKA_VALUE])[0]!);
  }

  writePrivateData(application: string, label: string, value: Buffer): void {
    const before = this.dataObjects(application, label, true);
    // SoftHSM 2.6 refuses a new CKA_VALUE on a data object (CKR_ATTRIBUTE_READ_ONLY, even with
    // CKA_MODIFIABLE true), so the new value is a new object. Created first, then the earlier
    // ones destroyed: a crash in between leaves two, never none (the reader tells them apart).
    hsmCall(`writing data object "${label}" on token "${this.tokenLabel}"`, () =>
      this.lib.C_CreateObject(this.handle, [
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_DATA },
        { type: pkcs11.CKA_TOKEN, value: true },
        { type: pkcs11.CKA_PRIVATE, value: true },
        { type: pkcs11.CKA_MODIFIABLE, value: true },
        { type: pkcs11.CKA_APPLICATION, value: application },
        { type: pkcs11.CKA_LABEL, value: label },
        { type: pkcs11.CKA_VALUE, value },
      ]),
    );
    for (const object of before) {
      hsmCall(`removing the previous data object "${label}" on token "${this.tokenLabel}"`, () => this.lib.C_DestroyObject(this.handle, object));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.context.onClose();
    hsmCall(`closing the session on token "${this.tokenLabel}"`, () => this.lib.C_CloseSession(this.handle));
  }
}

/** CK_ULONG attribute values come back as native-endian 4 or 8 byte buffers. */
function ulong(bytes: Buffer): number {
  return bytes.length === 8 ? Number(bytes.readBigUInt64LE()) : bytes.readUInt32LE();
}

function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}
