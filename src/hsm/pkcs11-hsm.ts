// The PKCS#11 implementation of Hsm over pkcs11js. Tokens are found by label, never by slot
// number: SoftHSM renumbers slots after C_InitToken and real HSMs differ per machine.
import { InputError } from '../errors.js';
import type { Hsm, HsmSession } from './hsm.js';
import { HsmError, hsmCall } from './hsm-error.js';
import { NEEDED_MECHANISMS, WRAPPING_MECHANISMS } from './key-templates.js';
import { openModuleFile, type ModuleFile } from './module-file.js';
import { pkcs11, type Handle, type Pkcs11 } from './pkcs11.js';
import { Pkcs11Session } from './pkcs11-session.js';
import { ALL_CAPABLE, type TokenCapabilities } from './profile.js';
import type { MechanismInfo, MechanismSupport, ModuleInfo, TokenInfo, WrapMechanismSupport } from './types.js';
import { errorMessage } from '../util/storage.js';

export interface OpenOptions {
  /** The module file, opened and hashed by the caller (who has checked the hash). */
  file?: ModuleFile | undefined;
  /** C_Initialize's library parameters: the profile's initArgs (NSS softoken needs them). */
  initArgs?: string | undefined;
  /** What the token with a label can do (the profile's capabilities); everything when not given. */
  capabilities?: ((label: string) => TokenCapabilities) | undefined;
}

/**
 * The modules initialised in this process, by file identity. A module is one library in the
 * process whatever path names it: a second C_Initialize fails (CKR_CRYPTOKI_ALREADY_INITIALIZED,
 * SoftHSM and NSS alike), and the second C_Finalize would pull the module out from under the
 * first. Opening again after finalize() is fine (measured on both).
 */
const initialised = new Map<string, string>();

const trimPadded = (text: string) => text.replace(/[\s\0]+$/, '');
const version = (v: { major: number; minor: number }) => `${v.major}.${v.minor}`;

/** Token labels are 32 bytes, blank padded. */
export function padLabel(label: string): string {
  const bytes = Buffer.byteLength(label, 'utf8');
  if (bytes > 32) throw new InputError(`token label "${label}" is longer than 32 bytes`, { code: 'hsm.label-length' });
  return label + ' '.repeat(32 - bytes);
}

export function toTokenInfo(raw: ReturnType<Pkcs11['C_GetTokenInfo']>): TokenInfo {
  const has = (flag: number) => (raw.flags & flag) !== 0;
  return {
    label: trimPadded(raw.label),
    manufacturer: trimPadded(raw.manufacturerID),
    model: trimPadded(raw.model),
    serial: trimPadded(raw.serialNumber),
    firmware: version(raw.firmwareVersion),
    hardware: version(raw.hardwareVersion),
    initialized: has(pkcs11.CKF_TOKEN_INITIALIZED),
    loginRequired: has(pkcs11.CKF_LOGIN_REQUIRED),
    pin: {
      userPinInitialized: has(pkcs11.CKF_USER_PIN_INITIALIZED),
      userPinCountLow: has(pkcs11.CKF_USER_PIN_COUNT_LOW),
      userPinFinalTry: has(pkcs11.CKF_USER_PIN_FINAL_TRY),
      userPinLocked: has(pkcs11.CKF_USER_PIN_LOCKED),
      soPinCountLow: has(pkcs11.CKF_SO_PIN_COUNT_LOW),
      soPinFinalTry: has(pkcs11.CKF_SO_PIN_FINAL_TRY),
      soPinLocked: has(pkcs11.CKF_SO_PIN_LOCKED),
    },
    minPinLength: raw.minPinLen,
    maxPinLength: raw.maxPinLen,
  };
}

export class Pkcs11Hsm implements Hsm {
  readonly module: ModuleInfo;
  private finalized = false;
  private readonly sessions = new Set<Pkcs11Session>();

  private constructor(
    private readonly lib: Pkcs11,
    file: ModuleFile,
    private readonly capabilities: (label: string) => TokenCapabilities,
    private readonly onFinalize: () => void,
  ) {
    const info = hsmCall('reading PKCS#11 module information', () => lib.C_GetInfo());
    this.module = {
      path: file.path,
      realPath: file.realPath,
      sha256: file.sha256,
      manufacturer: trimPadded(info.manufacturerID),
      description: trimPadded(info.libraryDescription),
      libraryVersion: version(info.libraryVersion),
      cryptokiVersion: version(info.cryptokiVersion),
    };
  }

  /**
   * Loads and initialises a PKCS#11 module. CKF_OS_LOCKING_OK: overlapping async calls crash
   * SoftHSM without it. The library is loaded from `file` (opened and hashed by the caller,
   * who has checked the hash) or, when not given, opened and hashed here; either way the
   * loader gets the open file that was hashed, and `module.sha256` says which library it is.
   */
  static open(modulePath: string, options: OpenOptions = {}): Pkcs11Hsm {
    const file = options.file ?? openModuleFile(modulePath);
    const lib = new pkcs11.PKCS11();
    try {
      const already = initialised.get(file.identity);
      if (already !== undefined) {
        throw new HsmError(`PKCS#11 module ${modulePath} is already open in this process (as ${already})`, {
          code: 'hsm.module-open',
          details: { module: modulePath },
          hint: 'a module is initialised once per process; this is a bug in keyceremony, please report it',
        });
      }
      try {
        lib.load(file.loadPath);
      } catch (error) {
        throw new InputError(`cannot load PKCS#11 module ${modulePath}: ${errorMessage(error).split('\n')[0]}`, {
          hint: 'the file must be a PKCS#11 shared library for this machine architecture',
          code: 'hsm.module-load',
          details: { module: modulePath },
        });
      }
    } finally {
      // The loader holds its own mapping of the library now.
      if (!options.file) file.close();
    }
    try {
      hsmCall(`initialising PKCS#11 module ${modulePath}`, () =>
        lib.C_Initialize(
          options.initArgs === undefined ? { flags: pkcs11.CKF_OS_LOCKING_OK } : { flags: pkcs11.CKF_OS_LOCKING_OK, libraryParameters: options.initArgs },
        ),
      );
    } catch (error) {
      lib.close();
      throw options.initArgs === undefined || !(error instanceof HsmError)
        ? error
        : new HsmError(error.message, {
            ckr: error.ckr,
            code: error.code,
            exitCode: 2,
            hint: 'the module refused the initArgs of the HSM profile; check them against the module documentation (HSM.md has NSS softoken)',
          });
    }
    initialised.set(file.identity, modulePath);
    try {
      return new Pkcs11Hsm(lib, file, options.capabilities ?? (() => ALL_CAPABLE), () => initialised.delete(file.identity));
    } catch (error) {
      try {
        lib.C_Finalize();
      } finally {
        lib.close();
        initialised.delete(file.identity);
      }
      throw error;
    }
  }

  private slotsWithTokens(): Array<{ slot: Handle; info: TokenInfo }> {
    const slots = hsmCall('listing HSM slots', () => this.lib.C_GetSlotList(true));
    return slots.map((slot) => ({ slot, info: toTokenInfo(hsmCall('reading token information', () => this.lib.C_GetTokenInfo(slot))) }));
  }

  tokens(): TokenInfo[] {
    return this.slotsWithTokens().map((entry) => entry.info);
  }

  private findSlot(label: string, serial?: string): { slot: Handle; info: TokenInfo } {
    // Where the module's configuration labels blank tokens (initTokenLabel: false, NSS
    // softoken), the blank token is found by its label too: init-token opens its session on it.
    const blankByLabel = !this.capabilities(label).initTokenLabel;
    const matches = this.slotsWithTokens().filter(
      ({ info }) => (info.initialized || blankByLabel) && info.label === label && (serial === undefined || info.serial === serial),
    );
    const describe = serial === undefined ? `label "${label}"` : `label "${label}" and serial ${serial}`;
    if (matches.length === 0) {
      const present = this.tokens()
        .filter((t) => t.initialized)
        .map((t) => `"${t.label}"`);
      throw new HsmError(`no token with ${describe} in ${this.module.path}`, {
        code: 'hsm.token-not-found',
        hint: present.length
          ? `tokens present: ${present.join(', ')}; check the HSM profile`
          : 'no initialised token is present; check the HSM profile and SOFTHSM2_CONF',
        exitCode: 2,
      });
    }
    if (matches.length > 1) {
      throw new HsmError(`${matches.length} tokens have ${describe}`, {
        code: 'hsm.token-ambiguous',
        hint: 'add the token serial to the HSM profile so exactly one token matches',
        exitCode: 2,
      });
    }
    return matches[0]!;
  }

  findToken(label: string, serial?: string): TokenInfo {
    return this.findSlot(label, serial).info;
  }

  mechanisms(label: string, serial?: string): MechanismSupport[] {
    const { slot } = this.findSlot(label, serial);
    const supported = new Set(hsmCall('listing mechanisms', () => this.lib.C_GetMechanismList(slot)));
    return NEEDED_MECHANISMS.map(({ name, needed }) => ({
      name,
      needed,
      supported: supported.has((pkcs11 as unknown as Record<string, number>)[name]!),
    }));
  }

  mechanismList(label: string, serial?: string): Set<number> {
    const { slot } = this.findSlot(label, serial);
    return new Set(hsmCall('listing mechanisms', () => this.lib.C_GetMechanismList(slot)));
  }

  mechanismInfo(label: string, mechanism: number, serial?: string): MechanismInfo {
    const { slot } = this.findSlot(label, serial);
    const info = hsmCall('reading mechanism information', () => this.lib.C_GetMechanismInfo(slot, mechanism));
    return { minKeySize: info.minKeySize, maxKeySize: info.maxKeySize };
  }

  wrappingMechanisms(label: string, serial?: string): WrapMechanismSupport[] {
    const { slot } = this.findSlot(label, serial);
    const supported = new Set(hsmCall('listing mechanisms', () => this.lib.C_GetMechanismList(slot)));
    return WRAPPING_MECHANISMS.map(({ name, type, use }) => {
      if (!supported.has(type)) return { name, use, wrap: false, unwrap: false };
      const { flags } = hsmCall(`reading information on ${name}`, () => this.lib.C_GetMechanismInfo(slot, type));
      return { name, use, wrap: (flags & pkcs11.CKF_WRAP) !== 0, unwrap: (flags & pkcs11.CKF_UNWRAP) !== 0 };
    });
  }

  initToken(label: string, soPin: Buffer): TokenInfo {
    if (!this.capabilities(label).initToken) {
      throw new HsmError(`token "${label}" is not initialised by keyceremony: the HSM profile says initToken: false for it`, {
        code: 'hsm.init-token-unsupported',
        hint: 'prepare the token with the HSM vendor tools, and leave the init-token step out of the ceremony (HSM.md)',
        exitCode: 2,
      });
    }
    const all = this.slotsWithTokens();
    if (all.some(({ info }) => info.initialized && info.label === label)) {
      throw new HsmError(`a token with label "${label}" already exists`, {
        code: 'hsm.token-exists',
        hint: 'choose another label; keyceremony never re-initialises (wipes) an existing token',
      });
    }
    // initTokenLabel: false (NSS softoken): the blank token already carries its label, and
    // C_InitToken keeps it; the token is marked initialised only when its user PIN is set.
    const labels = this.capabilities(label).initTokenLabel;
    const free = all.find(({ info }) => !info.initialized && (labels || info.label === label));
    if (!free) {
      throw new HsmError(labels ? 'there is no uninitialised token to initialise' : `there is no uninitialised token labelled "${label}" to initialise`, {
        code: 'hsm.no-free-token',
        hint: labels
          ? 'keyceremony initialises only blank tokens; prepare one with the HSM vendor tools'
          : 'this module labels blank tokens itself (the HSM profile says initTokenLabel: false): configure a blank token with this label (for NSS softoken, tokenDescription in initArgs; HSM.md)',
      });
    }
    // pkcs11js takes the PIN as a JS string; it exists only for the duration of this call.
    hsmCall(`initialising token "${label}"`, () => this.lib.C_InitToken(free.slot, soPin.toString('utf8'), padLabel(label)));
    const made = this.slotsWithTokens().filter(({ info }) => info.label === label);
    if (made.length !== 1 || (labels && !made[0]!.info.initialized)) {
      // NSS softoken returns CKR_OK, keeps the label its parameters fix, sets no SO PIN and
      // does not mark the token initialised.
      throw new HsmError(`C_InitToken returned success, but no initialised token is labelled "${label}" afterwards`, {
        code: 'hsm.init-token-ignored',
        hint: 'this module does not set labels with C_InitToken; where its configuration labels blank tokens (NSS softoken) set initTokenLabel: false, else initToken: false (and soPin: false if it has no SO PIN) and prepare the token with its own tools (HSM.md)',
      });
    }
    return made[0]!.info;
  }

  openSession(label: string, serial?: string): HsmSession {
    const { slot, info } = this.findSlot(label, serial);
    const handle = hsmCall(`opening a session on token "${label}"`, () => this.lib.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION));
    const session = new Pkcs11Session(this.lib, handle, info, {
      refreshToken: () => this.findSlot(label, serial).info,
      onClose: () => this.sessions.delete(session),
      capabilities: this.capabilities(label),
      // Read when the first signature needs it: C_GetMechanismList per token, once per session.
      mechanisms: () => new Set(hsmCall('listing mechanisms', () => this.lib.C_GetMechanismList(slot))),
    });
    this.sessions.add(session);
    return session;
  }

  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    // Close what is still open first: after C_Finalize and unloading the module, a late
    // C_CloseSession would call into unmapped code.
    for (const session of [...this.sessions]) {
      try {
        session.close();
      } catch {
        // The module is going away; C_Finalize closes whatever is left.
      }
    }
    try {
      this.lib.C_Finalize();
    } finally {
      this.lib.close();
      this.onFinalize();
    }
  }
}
