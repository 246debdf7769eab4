// A software token is a PKCS#11 module that keeps its keys in files on this computer
// (SoftHSM, NSS softoken), not in hardware. keyceremony is tested and rehearsed on them; a
// production ceremony on one makes keys that were never in an HSM. `run` refuses that
// unless --allow-software-token is given, the screens say it on every header, and the
// report says it above its first section (issue 16). Known by what the module and its
// tokens say of themselves (C_GetInfo, C_GetTokenInfo), which the journal header records.

/** What a module or a token says of itself; any field may be missing (older journals, a blank token). */
export interface DeviceFacts {
  manufacturer?: string | undefined;
  model?: string | undefined;
  description?: string | undefined;
}

/** The software tokens known, by what they report (measured: SoftHSM 2.6.1, NSS 3.87; HSM.md). */
const SOFTWARE_TOKENS: ReadonlyArray<{ name: string; is: (facts: DeviceFacts) => boolean }> = [
  // Module "SoftHSM" / "Implementation of PKCS11"; token "SoftHSM project" / "SoftHSM v2".
  { name: 'SoftHSM', is: (f) => /softhsm/i.test(f.manufacturer ?? '') || /softhsm/i.test(f.model ?? '') },
  // Module and token "Mozilla Foundation"; module "NSS Internal Crypto Services", token model "NSS 3".
  {
    name: 'NSS softoken',
    is: (f) => /^mozilla foundation$/i.test(f.manufacturer?.trim() ?? '') && (/^NSS\b/.test(f.model ?? '') || /\bNSS\b/.test(f.description ?? '')),
  },
];

/** The software token's name (SoftHSM, NSS softoken) when the facts are one's, else undefined. */
export function softwareTokenName(...facts: DeviceFacts[]): string | undefined {
  for (const known of SOFTWARE_TOKENS) if (facts.some((f) => known.is(f))) return known.name;
  return undefined;
}
