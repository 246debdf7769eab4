// A throwaway NSS softoken per test: a folder of NSS databases, one per token, named by the
// C_Initialize library parameters (initArgs) that the profile and Pkcs11Hsm.open pass. No
// environment variable and no file outside the folder is involved; the folder is removed at
// teardown.
//
// NSS is the module whose tokens keyceremony cannot initialise (HSM.md): C_InitToken leaves
// the label as the parameters fix it and sets no SO PIN. So this helper plays the vendor tool,
// straight through pkcs11js and independently of keyceremony's HSM layer: on the fresh
// database of each token it logs in as SO with the empty PIN and sets a random user PIN with
// C_InitPIN. The token's labels are fixed when the module is initialised, so every token is
// added before the module is opened (each open() sees the tokens added so far).
//
// certutil (libnss3-tools) is the independent look at an NSS token: it opens the database
// itself, with the PIN piped to it (`-f /dev/stdin`), never on its command line or on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { nssInitArgs, type NssToken } from '../../src/hsm/nss.js';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { moduleOptions, type TokenCapabilities } from '../../src/hsm/profile.js';
import { randomPin, run, type RunResult, type TokenPins } from './softhsm.js';

export const NSS_MODULE = process.env.KEYCEREMONY_TEST_NSS_MODULE ?? '/usr/lib/x86_64-linux-gnu/libsoftokn3.so';

/**
 * What NSS softoken 3.87 cannot do (measured; HSM.md), as its profiles say. C_InitToken works
 * on a blank token but keeps the label the parameters give it (initTokenLabel: false).
 */
export const NSS_CAPABILITIES: TokenCapabilities = {
  initToken: true,
  initTokenLabel: false,
  soPin: false,
  uniqueSerials: false,
  dataObjects: false,
  ckaLocal: false,
  keyCopy: false,
};

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export interface NssFixture {
  dir: string;
  modulePath: string;
  env: NodeJS.ProcessEnv;
  /** The library parameters naming every token added so far. */
  initArgs(): string;
  /** The folder of a token's database. */
  tokenDir(label: string): string;
  /** A token that nobody has set up yet (its user PIN not initialised): a blank token. */
  addBlankToken(label: string): void;
  /** A token set up as the vendor tool would: SO login with the empty PIN, C_InitPIN with a random PIN. */
  initToken(label: string): TokenPins;
  /** Sets the user PIN of a blank token (SO login with the empty PIN, C_InitPIN), as the vendor tool does. */
  initUserPin(label: string, pin: Buffer): void;
  /**
   * Writes an HSM profile for the named tokens and returns its path: module, initArgs and
   * NSS's capabilities (module-wide), unless `capabilities` says otherwise.
   */
  profile(tokens: Record<string, string>, options?: { dryRun?: boolean; name?: string; capabilities?: Partial<TokenCapabilities> | 'none' }): string;
  /** Pkcs11Hsm on the tokens added so far; `capabilities` as a profile would give them (NSS's by default). */
  open(capabilities?: TokenCapabilities): Pkcs11Hsm;
  /** `certutil <args> -d sql:<token dir>` with the PIN piped in (`-f /dev/stdin`). */
  certutil(label: string, pin: Buffer, args: string[]): Promise<RunResult>;
}

/** A capabilities mapping in YAML flow style. */
export function capabilitiesYaml(capabilities: Partial<TokenCapabilities>): string {
  return `{ ${Object.entries(capabilities)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(', ')} }`;
}

export function nss(t: Teardown): NssFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kc-nss-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tokens: NssToken[] = [];
  const tokenDir = (label: string) => join(dir, `token-${Buffer.from(label).toString('hex')}`);
  const initArgs = () => nssInitArgs(dir, tokens);

  const addBlankToken = (label: string) => {
    if (tokens.some((token) => token.label === label)) throw new Error(`nss helper: token ${label} exists`);
    mkdirSync(tokenDir(label));
    tokens.push({ dir: tokenDir(label), label });
  };

  const initUserPin = (label: string, pin: Buffer) => {
    const lib = new pkcs11js.PKCS11();
    lib.load(NSS_MODULE);
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK, libraryParameters: initArgs() });
    try {
      const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === label);
      if (!slot) throw new Error(`nss helper: no slot for ${label}`);
      const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      lib.C_Login(session, pkcs11js.CKU_SO, '');
      lib.C_InitPIN(session, pin.toString('utf8'));
      lib.C_Logout(session);
      lib.C_CloseSession(session);
    } finally {
      lib.C_Finalize();
      lib.close();
    }
  };

  return {
    dir,
    modulePath: NSS_MODULE,
    env: { ...process.env },
    initArgs,
    tokenDir,
    addBlankToken,
    initUserPin,
    initToken(label) {
      addBlankToken(label);
      const pins = { label, soPin: Buffer.alloc(0), userPin: randomPin() };
      initUserPin(label, pins.userPin);
      return pins;
    },
    profile(tokenLabels, options = {}) {
      const file = join(dir, options.name ?? 'hsm.yaml');
      const capabilities = options.capabilities === 'none' ? undefined : { ...NSS_CAPABILITIES, ...options.capabilities };
      const lines = [`module: ${NSS_MODULE}`, `initArgs: "${initArgs()}"`, `dryRun: ${options.dryRun ?? true}`];
      if (capabilities) lines.push(`capabilities: ${capabilitiesYaml(capabilities)}`);
      lines.push('tokens:');
      for (const [name, label] of Object.entries(tokenLabels)) lines.push(`  ${name}: { label: "${label}" }`);
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    },
    open(capabilities = NSS_CAPABILITIES) {
      return Pkcs11Hsm.open(NSS_MODULE, moduleOptions({ initArgs: initArgs(), capabilities, tokens: {} }));
    },
    certutil(label, pin, args) {
      // Node gives a child a socket for stdin, which certutil cannot open as /dev/stdin; cat
      // turns it into a pipe.
      return run('sh', ['-c', 'cat | certutil "$@"', 'sh', ...args, '-d', `sql:${tokenDir(label)}`, '-f', '/dev/stdin'], {
        input: Buffer.concat([pin, Buffer.from('\n')]),
      });
    },
  };
}
