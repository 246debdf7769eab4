// NSS softoken (libsoftokn3.so), the second PKCS#11 implementation keyceremony is tested on.
// It keeps its tokens in NSS databases named by C_Initialize's library parameters, not by a
// configuration file. Measured on Debian 12 (NSS 3.87), see HSM.md:
// - without parameters C_Initialize fails (CKR_ARGUMENTS_BAD); with parameters that name no
//   configdir it crashes the process (SIGSEGV), so a profile for it must name one;
// - a configdir that is relative would depend on the directory keyceremony is started in.
export const NSS_SOFTOKEN = 'libsoftokn3.so';

export interface NssToken {
  /** The token's own NSS database folder (it is made by NSS when empty). */
  dir: string;
  /** The token label, fixed by the parameters (C_InitToken does not change it). */
  label: string;
}

const quoted = (text: string) => `'${text}'`;

/**
 * Library parameters for a softoken with these tokens, each in its own database, in slots
 * 4, 5, … (NSS numbers the slots of `tokens=<…>`), and no module database: nothing outside
 * the folders named here is read or written.
 */
export function nssInitArgs(configDir: string, tokens: NssToken[]): string {
  const slots = tokens.map(
    (token, i) => `0x${(4 + i).toString(16).padStart(2, '0')}=[configdir=${quoted(`sql:${token.dir}`)} tokenDescription=${quoted(token.label)}]`,
  );
  return `configdir=${quoted(`sql:${configDir}`)} certPrefix='' keyPrefix='' secmod='secmod.db' flags=noModDB tokens=<${slots.join(' ')}>`;
}

/** Why NSS softoken cannot be started with these parameters, or undefined. */
export function nssInitArgsProblem(initArgs: string | undefined): string | undefined {
  if (initArgs === undefined) return `is required for NSS softoken (${NSS_SOFTOKEN}): initArgs with configdir='sql:<folder>' (see HSM.md)`;
  const dirs = [...initArgs.matchAll(/configdir\s*=\s*'?(?:sql:|dbm:|extern:|rdb:)?([^'\s\]]*)/gi)].map((m) => m[1] ?? '');
  if (dirs.length === 0) return `must name the NSS database: configdir='sql:<folder>' (NSS softoken crashes without one)`;
  const relative = dirs.find((dir) => !dir.startsWith('/'));
  if (relative !== undefined) return `configdir '${relative}' must be an absolute path (a relative one depends on the folder keyceremony is started in)`;
  return undefined;
}
