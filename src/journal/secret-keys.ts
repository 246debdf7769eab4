// Defence in depth for DESIGN principle 3 (secrets never leave memory): the journal refuses
// data that has a key which names a secret, at any depth. Callers are meant to record who
// entered a share and its index, never a value; a key like `userPin` in journal data is a
// programming error, caught here before it reaches the disk.

/** Key names (compared case-insensitively) that hold secrets. */
const SECRET_KEY_NAMES = new Set(['pin', 'sopin', 'userpin', 'share', 'shares', 'secret', 'password', 'passphrase']);

/**
 * camelCase `…Pin` (operatorPin, newUserPin): the way code names a PIN. Kebab-case names
 * such as `hca-user-pin` are not refused: they are credential names from the definition,
 * used as keys for public facts about a share set.
 */
const SECRET_KEY_SUFFIX = /[a-z]Pin$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase()) || SECRET_KEY_SUFFIX.test(key);
}

/** The path (`data.unlock.userPin`) of the first key in `value` that names a secret, or undefined. */
export function findSecretKey(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findSecretKey(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, member] of Object.entries(value)) {
    if (isSecretKey(key)) return `${path}.${key}`;
    const found = findSecretKey(member, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
