// The PKCS#11 module an HSM profile names, for the `hsm` commands: hashed (and checked
// against the profile's moduleSha256 pin) before it is loaded.
import { checkModuleSha256, openModuleFile } from '../hsm/module-file.js';
import { Pkcs11Hsm } from '../hsm/pkcs11-hsm.js';
import { moduleOptions, type HsmProfile } from '../hsm/profile.js';

export function openProfileModule(profile: HsmProfile): Pkcs11Hsm {
  const file = openModuleFile(profile.modulePath);
  try {
    if (profile.moduleSha256) checkModuleSha256(file, profile.moduleSha256, `moduleSha256 in ${profile.file}`);
    return Pkcs11Hsm.open(profile.modulePath, { file, ...moduleOptions(profile) });
  } finally {
    file.close();
  }
}
