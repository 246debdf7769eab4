// Load-time checks of an X.509 profile against the rules for its kind (rules.ts): required
// and forbidden extensions, criticality, what a CA, OCSP responder or end-entity key may be
// used for, and a validity that is written one way only. Each problem names the YAML path,
// so the loader can point at the file and line.
import type { YamlProblem } from '../util/strict-yaml.js';
import { buildName, nameAttributesFrom } from './names.js';
import type { ExtensionProfile, ProfileData } from './profile.js';
import { ANY_EXTENDED_KEY_USAGE, CA_KEY_USAGE, CRITICALITY, KIND_RULES, OCSP_RESPONDER, keyPurposeOid, type ExtensionType } from './rules.js';
import { errorMessage } from '../util/storage.js';

type Path = Array<string | number>;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function validityProblems(profile: ProfileData): YamlProblem[] {
  const { years, days, notAfter, notAfterTime, limitToIssuer } = profile.validity;
  const problems: YamlProblem[] = [];
  const given = [years, days, notAfter].filter((v) => v !== undefined).length;
  if (given !== 1) problems.push({ path: ['validity'], message: 'must give exactly one of years, days or notAfter' });
  if (notAfter !== undefined && notAfterTime) problems.push({ path: ['validity', 'notAfterTime'], message: 'has no meaning with a fixed notAfter' });
  if (profile.kind === 'root-ca' && limitToIssuer) problems.push({ path: ['validity', 'limitToIssuer'], message: 'has no meaning for a self-signed root' });
  return problems;
}

/** Required, forbidden and repeated extensions, and each one's criticality. */
function presenceProblems(profile: ProfileData, at: (type: ExtensionType) => Path): YamlProblem[] {
  const rule = KIND_RULES[profile.kind];
  const problems: YamlProblem[] = [];
  const seen = new Map<string, number>();
  profile.extensions.forEach((extension, index) => {
    const first = seen.get(extension.type);
    if (first !== undefined)
      problems.push({
        path: ['extensions', index, 'type'],
        message: `repeats extensions[${first}]; a certificate carries each extension once (RFC 5280 §4.2)`,
      });
    else seen.set(extension.type, index);
  });
  for (const type of rule.required) {
    if (!seen.has(type)) problems.push({ path: ['extensions'], message: `must include ${type}: ${rule.what} carries it (${rule.clause})` });
  }
  for (const type of rule.forbidden) {
    if (seen.has(type)) problems.push({ path: at(type), message: `is not allowed in ${rule.what} (${rule.clause})` });
  }
  if (profile.kind === 'root-ca' && seen.has('authorityKeyIdentifier')) {
    problems.push({ path: at('authorityKeyIdentifier'), message: 'is not used in a root-ca profile: a self-signed root carries no AKI here' });
  }
  for (const extension of profile.extensions) {
    if (extension.type === 'subjectAltName') continue;
    const wanted = CRITICALITY[extension.type];
    if (extension.critical !== wanted.critical)
      problems.push({ path: [...at(extension.type), 'critical'], message: `must be ${wanted.critical} (${wanted.clause})` });
  }
  return problems;
}

/** What the extension's values must say for the profile's kind. */
function valueProblems(profile: ProfileData, extension: ExtensionProfile, path: Path): YamlProblem[] {
  const rule = KIND_RULES[profile.kind];
  const problems: YamlProblem[] = [];
  const problem = (where: Path, message: string) => problems.push({ path: [...path, ...where], message });
  switch (extension.type) {
    case 'basicConstraints':
      if (extension.ca !== rule.ca)
        problem(['ca'], rule.ca ? 'must be true: this is a CA profile' : `must be false: ${rule.what} is not a CA (RFC 5280 §4.2.1.9)`);
      if (!extension.ca && extension.pathLength !== undefined) problem(['pathLength'], 'is only for a CA (RFC 5280 §4.2.1.9)');
      break;
    case 'keyUsage': {
      const usages = extension.usages;
      if (new Set(usages).size !== usages.length) problem(['usages'], 'names a usage twice');
      if (rule.ca && !CA_KEY_USAGE.required.every((u) => usages.includes(u)))
        problem(['usages'], `must include keyCertSign and cRLSign for a CA (${CA_KEY_USAGE.clause})`);
      const notForCa = usages.filter((u) => !CA_KEY_USAGE.allowed.includes(u));
      if (rule.ca && notForCa.length > 0)
        problem(['usages'], `must not include ${notForCa.join(', ')} for a CA (${CA_KEY_USAGE.clause}: only ${CA_KEY_USAGE.allowed.join(', ')})`);
      if (profile.kind === 'ocsp-responder' && !sameSet(usages, OCSP_RESPONDER.keyUsage))
        problem(['usages'], 'must be exactly [digitalSignature] for an OCSP responder (BR §7.1.2.8.7)');
      if (profile.kind === 'end-entity' && usages.some((u) => u === 'keyCertSign' || u === 'cRLSign'))
        problem(['usages'], 'must not include keyCertSign or cRLSign: an end entity signs no certificates or CRLs (RFC 5280 §4.2.1.3)');
      if ((usages.includes('encipherOnly') || usages.includes('decipherOnly')) && !usages.includes('keyAgreement'))
        problem(['usages'], 'has encipherOnly or decipherOnly without keyAgreement (RFC 5280 §4.2.1.3)');
      break;
    }
    case 'extKeyUsage': {
      const oids = extension.purposes.map(keyPurposeOid);
      if (new Set(oids).size !== oids.length) problem(['purposes'], 'names a purpose twice');
      if (oids.includes(ANY_EXTENDED_KEY_USAGE)) problem(['purposes'], 'must not include anyExtendedKeyUsage (BR §7.1.2.10.6, §7.1.2.7.10)');
      if (profile.kind === 'ocsp-responder' && !sameSet(oids, OCSP_RESPONDER.purposes))
        problem(['purposes'], 'must be exactly [OCSPSigning] for an OCSP responder (BR §7.1.2.8.5)');
      break;
    }
    case 'authorityInfoAccess':
      if (!extension.caIssuers?.length && !extension.ocsp?.length) problem([], 'must list at least one caIssuers or ocsp URL');
      break;
    case 'nameConstraints':
      if (!extension.permitted && !extension.excluded) problem([], 'must give permitted or excluded names (RFC 5280 §4.2.1.10: never an empty sequence)');
      for (const side of ['permitted', 'excluded'] as const) {
        extension[side]?.directory?.forEach((name, index) => {
          try {
            buildName(nameAttributesFrom(name));
          } catch (error) {
            problem([side, 'directory', index], errorMessage(error));
          }
        });
      }
      break;
    default:
      break;
  }
  return problems;
}

/** Everything wrong with a profile that its schema alone cannot see. */
export function profileProblems(profile: ProfileData): YamlProblem[] {
  const index = new Map<string, number>();
  profile.extensions.forEach((extension, i) => {
    if (!index.has(extension.type)) index.set(extension.type, i);
  });
  const at = (type: ExtensionType): Path => ['extensions', index.get(type) ?? 0];
  const problems = [...validityProblems(profile), ...presenceProblems(profile, at)];
  profile.extensions.forEach((extension, i) => problems.push(...valueProblems(profile, extension, ['extensions', i])));
  if (!profile.signature.rsa && !profile.signature.ec) problems.push({ path: ['signature'], message: 'must allow rsa, ec or both' });
  return problems;
}
