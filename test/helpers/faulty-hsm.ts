// Faults SoftHSM cannot produce, injected at keyceremony's own HSM seam (the `openHsm` option
// of runCeremony/resumeCeremony): a test double wraps the real Pkcs11Hsm and its sessions and,
// at one chosen call, throws what the real session would throw for a CKR code (a Pkcs11Error
// through toHsmError), or sends the process a signal (SIGKILL = a crash while the HSM works,
// SIGINT/SIGTERM = an operator stopping the run, SIGSTOP = the test holds the run still).
// Every other call goes to SoftHSM unchanged.
//
// This module has no runtime import of keyceremony: the caller passes the real opener and
// toHsmError, so the same double serves in-process tests (src/) and the CLI child (dist/).
import { appendFileSync } from 'node:fs';
import type { Hsm, HsmSession, LoginOptions, SessionKek } from '../../src/hsm/hsm.js';
import type { SignMechanism } from '../../src/hsm/sign-mechanism.js';
import type {
  CertificateObject,
  HashName,
  KeyAlgorithm,
  KeyPairInfo,
  MechanismInfo,
  MechanismSupport,
  PrivateKeyAttributes,
  RestoredKey,
  StoredCertificate,
  TokenInfo,
  UserType,
  WrapMechanismSupport,
} from '../../src/hsm/types.js';

export type HsmMethod =
  'login' | 'logout' | 'close' | 'generateKeyPair' | 'sign' | 'initToken' | 'openSession' | 'initUserPin' | 'setPin' | 'wrapKey' | 'unwrapKey' | 'writeData';
/** before: the call never reaches the HSM; in-flight: started (async calls), not finished; after: the HSM did it. */
export type FaultMoment = 'before' | 'in-flight' | 'after';
export type FaultSignal = 'SIGKILL' | 'SIGINT' | 'SIGTERM' | 'SIGSTOP';
export type FaultAction = { signal: FaultSignal } | { ckr: string; sticky?: boolean };

export interface HsmFault {
  method: HsmMethod;
  moment: FaultMoment;
  action: FaultAction;
  /** Which call of `method` (1-based, counted over the whole process); default 1. */
  occurrence?: number;
}

export interface FaultDeps<Rest extends unknown[] = unknown[]> {
  /** The real opener, with what the runner passes it (the module file and the HSM profile). */
  open(modulePath: string, ...rest: Rest): Hsm;
  toHsmError(error: unknown, doing: string): Error;
  /** pkcs11js: the error class and the CKR_* numbers. */
  pkcs11: { Pkcs11Error: new (message: string, code: number, method: string) => Error } & Record<string, unknown>;
}

const C_FUNCTION: Record<HsmMethod, string> = {
  login: 'C_Login',
  logout: 'C_Logout',
  close: 'C_CloseSession',
  generateKeyPair: 'C_GenerateKeyPair',
  sign: 'C_Sign',
  initToken: 'C_InitToken',
  openSession: 'C_OpenSession',
  initUserPin: 'C_InitPIN',
  setPin: 'C_SetPIN',
  wrapKey: 'C_WrapKey',
  unwrapKey: 'C_UnwrapKey',
  writeData: 'C_CreateObject',
};

const isThenable = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** Counts calls, logs them, and fires the planned fault once. */
export class FaultController {
  private readonly calls = new Map<HsmMethod, number>();
  /** Set by a sticky CKR fault: the device is gone, every later call fails the same way. */
  private gone: string | undefined;
  fired = false;

  constructor(
    private readonly deps: FaultDeps,
    private readonly fault: HsmFault | undefined,
    private readonly logFile: string | undefined,
  ) {}

  log(line: string): void {
    if (this.logFile) appendFileSync(this.logFile, `${line}\n`);
  }

  private error(ckr: string, method: HsmMethod, doing: string): Error {
    const code = this.deps.pkcs11[ckr];
    if (typeof code !== 'number') throw new Error(`faulty HSM: unknown CKR code ${ckr}`);
    return this.deps.toHsmError(new this.deps.pkcs11.Pkcs11Error(ckr, code, C_FUNCTION[method]), doing);
  }

  /** A sticky fault makes even harmless calls (find, list) fail: the device is not there. */
  checkPresent(method: HsmMethod, doing: string): void {
    if (this.gone) throw this.error(this.gone, method, doing);
  }

  private act(method: HsmMethod, doing: string): void {
    const action = this.fault!.action;
    this.fired = true;
    this.log(`fault ${method} ${'signal' in action ? action.signal : action.ckr}`);
    if ('signal' in action) {
      process.kill(process.pid, action.signal);
      return;
    }
    if (action.sticky) this.gone = action.ckr;
    throw this.error(action.ckr, method, doing);
  }

  private due(method: HsmMethod): boolean {
    const n = (this.calls.get(method) ?? 0) + 1;
    this.calls.set(method, n);
    return !this.fired && this.fault?.method === method && (this.fault.occurrence ?? 1) === n;
  }

  call<T>(method: HsmMethod, doing: string, run: () => T): T {
    this.checkPresent(method, doing);
    this.log(`call ${method}`);
    if (!this.due(method)) return run();
    const moment = this.fault!.moment;
    if (moment === 'before') {
      this.act(method, doing);
      return run();
    }
    const result = run();
    if (isThenable(result)) {
      if (moment === 'in-flight') {
        this.act(method, doing);
        return result;
      }
      return result.then((value) => {
        this.act(method, doing);
        return value;
      }) as T;
    }
    this.act(method, doing);
    return result;
  }
}

const describe = (algorithm: KeyAlgorithm) => (algorithm.type === 'RSA' ? `RSA-${algorithm.bits}` : `EC ${algorithm.curve}`);

class FaultySession implements HsmSession {
  constructor(
    private readonly inner: HsmSession,
    private readonly ctl: FaultController,
  ) {}

  get token(): TokenInfo {
    return this.inner.token;
  }

  get loggedInAs(): UserType | undefined {
    return this.inner.loggedInAs;
  }

  private get label(): string {
    return this.inner.token.label;
  }

  login(userType: UserType, pin: Buffer, options?: LoginOptions): void {
    this.ctl.call('login', `logging in to token "${this.label}" as ${userType}`, () => this.inner.login(userType, pin, options));
  }

  logout(): void {
    this.ctl.call('logout', `logging out of token "${this.label}"`, () => this.inner.logout());
  }

  initUserPin(pin: Buffer): void {
    this.ctl.call('initUserPin', `setting the first user PIN on token "${this.label}"`, () => this.inner.initUserPin(pin));
  }

  setPin(oldPin: Buffer, newPin: Buffer): void {
    this.ctl.call('setPin', `changing the PIN on token "${this.label}"`, () => this.inner.setPin(oldPin, newPin));
  }

  generateKeyPair(label: string, algorithm: KeyAlgorithm, options?: { backup?: boolean }): Promise<KeyPairInfo> {
    return this.ctl.call('generateKeyPair', `generating ${describe(algorithm)} key "${label}" on token "${this.label}"`, () =>
      this.inner.generateKeyPair(label, algorithm, options),
    );
  }

  createSessionKek(label: string, kek: Buffer): SessionKek {
    this.ctl.checkPresent('sign', `putting the key-encryption key "${label}" on token "${this.label}"`);
    return this.inner.createSessionKek(label, kek);
  }

  wrapPrivateKey(kek: SessionKek, label: string): Buffer {
    return this.ctl.call('wrapKey', `wrapping key "${label}" on token "${this.label}" under "${kek.label}"`, () => this.inner.wrapPrivateKey(kek, label));
  }

  restoreKeyPair(kek: SessionKek, wrapped: Buffer, key: RestoredKey): Promise<KeyPairInfo> {
    return this.ctl.call('unwrapKey', `unwrapping key "${key.label}" on token "${this.label}" under "${kek.label}"`, () =>
      this.inner.restoreKeyPair(kek, wrapped, key),
    );
  }

  destroySessionKek(kek: SessionKek): void {
    this.ctl.checkPresent('sign', `destroying the key-encryption key "${kek.label}" on token "${this.label}"`);
    this.inner.destroySessionKek(kek);
  }

  findKeyPair(label: string): KeyPairInfo | undefined {
    this.ctl.checkPresent('sign', `searching token "${this.label}"`);
    return this.inner.findKeyPair(label);
  }

  findKeyPairById(id: string): KeyPairInfo | undefined {
    this.ctl.checkPresent('sign', `searching token "${this.label}"`);
    return this.inner.findKeyPairById(id);
  }

  listKeyPairs(): KeyPairInfo[] {
    this.ctl.checkPresent('sign', `searching token "${this.label}"`);
    return this.inner.listKeyPairs();
  }

  privateKeyAttributes(label: string): PrivateKeyAttributes {
    return this.inner.privateKeyAttributes(label);
  }

  signMechanism(label: string, hash: HashName): SignMechanism {
    return this.inner.signMechanism(label, hash);
  }

  sign(label: string, hash: HashName, data: Uint8Array): Promise<Buffer> {
    return this.ctl.call('sign', `signing with key "${label}" on token "${this.label}"`, () => this.inner.sign(label, hash, data));
  }

  storeCertificate(label: string, certificate: CertificateObject): StoredCertificate {
    this.ctl.checkPresent('sign', `storing a certificate on token "${this.label}"`);
    return this.inner.storeCertificate(label, certificate);
  }

  destroyKeyPair(label: string): void {
    this.ctl.checkPresent('sign', `destroying a key object on token "${this.label}"`);
    this.inner.destroyKeyPair(label);
  }

  readPublicData(application: string, label: string): Buffer[] {
    this.ctl.checkPresent('sign', `searching token "${this.label}"`);
    return this.inner.readPublicData(application, label);
  }

  replacePublicData(application: string, label: string, value: Buffer): void {
    this.ctl.checkPresent('sign', `writing data object "${label}" on token "${this.label}"`);
    this.inner.replacePublicData(application, label, value);
  }

  readPrivateData(application: string, label: string): Buffer[] {
    this.ctl.checkPresent('sign', `searching token "${this.label}"`);
    return this.inner.readPrivateData(application, label);
  }

  /** A private data object (the ledger anchor) written: a crash point of its own (writeData). */
  writePrivateData(application: string, label: string, value: Buffer): void {
    this.ctl.call('writeData', `writing data object "${label}" on token "${this.label}"`, () => this.inner.writePrivateData(application, label, value));
  }

  close(): void {
    this.ctl.call('close', `closing the session on token "${this.label}"`, () => this.inner.close());
  }
}

class FaultyHsm implements Hsm {
  constructor(
    private readonly inner: Hsm,
    private readonly ctl: FaultController,
  ) {}

  get module() {
    return this.inner.module;
  }

  tokens(): TokenInfo[] {
    return this.inner.tokens();
  }

  findToken(label: string, serial?: string): TokenInfo {
    return this.inner.findToken(label, serial);
  }

  mechanisms(label: string, serial?: string): MechanismSupport[] {
    return this.inner.mechanisms(label, serial);
  }

  mechanismList(label: string, serial?: string): Set<number> {
    return this.inner.mechanismList(label, serial);
  }

  wrappingMechanisms(label: string, serial?: string): WrapMechanismSupport[] {
    return this.inner.wrappingMechanisms(label, serial);
  }

  mechanismInfo(label: string, mechanism: number, serial?: string): MechanismInfo {
    return this.inner.mechanismInfo(label, mechanism, serial);
  }

  initToken(label: string, soPin: Buffer): TokenInfo {
    return this.ctl.call('initToken', `initialising token "${label}"`, () => this.inner.initToken(label, soPin));
  }

  openSession(label: string, serial?: string): HsmSession {
    return new FaultySession(
      this.ctl.call('openSession', `opening a session on token "${label}"`, () => this.inner.openSession(label, serial)),
      this.ctl,
    );
  }

  finalize(): void {
    this.ctl.log('call finalize');
    this.inner.finalize();
  }
}

/** An `openHsm` for RunOptions/ResumeOptions that wraps the real HSM in the fault plan. */
export function faultyOpenHsm<Rest extends unknown[]>(
  deps: FaultDeps<Rest>,
  fault: HsmFault | undefined,
  logFile?: string,
): { openHsm: (modulePath: string, ...rest: Rest) => Hsm; controller: FaultController } {
  const controller = new FaultController(deps, fault, logFile);
  return { openHsm: (modulePath, ...rest) => new FaultyHsm(deps.open(modulePath, ...rest), controller), controller };
}

/**
 * SoftHSM never sets CKF_USER_PIN_FINAL_TRY or CKF_USER_PIN_LOCKED. A real token says so in
 * C_GetTokenInfo, so that is where the test makes the token say it: every token whose label
 * matches reports the flags, and keyceremony's own login check sees them.
 */
export function reportPinFlags(pkcs11: FaultDeps['pkcs11'], flags: { label: string; userPinFinalTry?: boolean; userPinLocked?: boolean }): () => void {
  type GetTokenInfo = (this: unknown, slot: Buffer) => { label: string; flags: number };
  const proto = (pkcs11.PKCS11 as { prototype: { C_GetTokenInfo: GetTokenInfo } }).prototype;
  const original = proto.C_GetTokenInfo;
  const bit = (name: string) => pkcs11[name] as number;
  proto.C_GetTokenInfo = function (this: unknown, slot: Buffer) {
    const info = original.call(this, slot);
    if (info.label.replace(/[\s\0]+$/, '') === flags.label) {
      if (flags.userPinFinalTry) info.flags |= bit('CKF_USER_PIN_FINAL_TRY') | bit('CKF_USER_PIN_COUNT_LOW');
      if (flags.userPinLocked) info.flags |= bit('CKF_USER_PIN_LOCKED');
    }
    return info;
  };
  return () => {
    proto.C_GetTokenInfo = original;
  };
}

/**
 * SoftHSM offers CKM_AES_KEY_WRAP_PAD on every token. An HSM without it says so in
 * C_GetMechanismList, so that is where the test makes a token say it: for every slot whose
 * token has the label, the named mechanisms are left out of the list, and keyceremony's own
 * checks (pre-flight, wrappingMechanisms, the session's mechanism list) see the shorter list.
 */
export function hideMechanisms(pkcs11: FaultDeps['pkcs11'], hide: { label: string; mechanisms: string[] }): () => void {
  type GetMechanismList = (this: unknown, slot: Buffer) => number[];
  type GetTokenInfo = (this: unknown, slot: Buffer) => { label: string };
  const proto = (pkcs11.PKCS11 as { prototype: { C_GetMechanismList: GetMechanismList; C_GetTokenInfo: GetTokenInfo } }).prototype;
  const original = proto.C_GetMechanismList;
  const hidden = new Set(
    hide.mechanisms.map((name) => {
      const type = pkcs11[name];
      if (typeof type !== 'number') throw new Error(`faulty HSM: unknown mechanism ${name}`);
      return type;
    }),
  );
  proto.C_GetMechanismList = function (this: unknown, slot: Buffer) {
    const list = original.call(this, slot);
    const label = proto.C_GetTokenInfo.call(this, slot).label.replace(/[\s\0]+$/, '');
    return label === hide.label ? list.filter((type) => !hidden.has(type)) : list;
  };
  return () => {
    proto.C_GetMechanismList = original;
  };
}
