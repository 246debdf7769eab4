// The key inventory of one ceremony's record (issue 18): every key the record names, each
// place it is held at the end of the ceremony (a token, or a backup file with its SHA-256),
// how it got there, and what became of it. Read from the journal's records only: the keys a
// step made (its spec's `generates`, restored when `restoresFrom`), the keys the definition
// declares as made earlier, the backup files a step wrote (`backsUp`) or that were brought in
// as inputs, and the keys a step destroyed (`destroys`). Copies and backups that other ceremonies made are in their records.
import type { Definition } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import type { CeremonyRecord, FileFact } from './ceremony-record.js';
import { asObject, asString } from './json-values.js';

/** One place a key is held: a token, or a backup file. */
export type Holding =
  | {
      kind: 'token';
      token: string;
      came: { how: 'generated' | 'restored'; step: string; from?: FileFact | undefined } | { how: 'declared' };
      destroyedBy: string | undefined;
    }
  | { kind: 'backup'; file: FileFact; made: { step: string; kekSet: string | undefined } | undefined };

export interface InventoryKey {
  label: string;
  /** SHA-256 of the key's SubjectPublicKeyInfo, as the record gives it (undefined when no record says). */
  spkiSha256: string | undefined;
  holdings: Holding[];
}

/** Where each key of the record is held, in the order the keys appear (declared, then made). */
export function keyInventory(definition: Definition, record: CeremonyRecord): InventoryKey[] {
  const keys = new Map<string, InventoryKey>();
  const entry = (label: string): InventoryKey => {
    let found = keys.get(label);
    if (found === undefined) {
      found = { label, spkiSha256: undefined, holdings: [] };
      keys.set(label, found);
    }
    return found;
  };
  const completed = (id: string) => {
    const fact = record.steps.get(id);
    return fact?.status === 'completed' ? fact : undefined;
  };
  // The journal's header records each input under its name in the definition.
  const input = (name: string): FileFact | undefined => {
    const sha256 = record.header.inputs?.[name]?.sha256;
    return sha256 === undefined ? undefined : record.inputs.find((file) => file.sha256 === sha256);
  };

  for (const [label, declared] of Object.entries(definition.keys)) {
    entry(label).holdings.push({ kind: 'token', token: declared.token, came: { how: 'declared' }, destroyedBy: undefined });
  }
  for (const step of definition.steps) {
    const fact = completed(step.id);
    if (fact === undefined) continue;
    const spec = specOf(step);
    if (spec.generates !== undefined) {
      const restored = spec.restoresFrom?.(step);
      for (const key of fact.keys) {
        const held = entry(key.label);
        held.spkiSha256 ??= key.spkiSha256;
        const from = restored ? (input(restored.backup) ?? record.outputs.find((file) => file.name === restored.backup)) : undefined;
        held.holdings.push({
          kind: 'token',
          token: key.token,
          came: { how: restored ? 'restored' : 'generated', step: step.id, from },
          destroyedBy: undefined,
        });
      }
      continue;
    }
    const backedUp = spec.backsUp?.(step);
    if (backedUp !== undefined) {
      const held = entry(backedUp);
      held.spkiSha256 ??= asString(fact.details.spkiSha256);
      for (const file of fact.outputs)
        held.holdings.push({ kind: 'backup', file, made: { step: step.id, kekSet: asString(asObject(fact.details.kek)?.setId) } });
      continue;
    }
    const destroyed = spec.destroys?.(step);
    if (destroyed !== undefined) {
      const held = entry(destroyed);
      held.spkiSha256 ??= asString(fact.details.spkiSha256);
      if (fact.destroyedKeys.includes(destroyed)) {
        for (const holding of held.holdings) if (holding.kind === 'token' && holding.destroyedBy === undefined) holding.destroyedBy = step.id;
      }
    }
  }
  // A backup file brought to restore the key is one of its backups, whether or not the restore went through.
  for (const step of definition.steps) {
    const restored = specOf(step).restoresFrom?.(step);
    const made = specOf(step).generates?.(step);
    if (restored === undefined || made === undefined) continue;
    const file = input(restored.backup);
    if (file === undefined) continue;
    const held = entry(made.label);
    if (!held.holdings.some((h) => h.kind === 'backup' && h.file.sha256 === file.sha256)) held.holdings.push({ kind: 'backup', file, made: undefined });
  }
  return [...keys.values()].filter((key) => key.holdings.length > 0);
}

/** The backups and copies of `label` the inventory knows besides the copy on `token`. */
export function otherCopies(inventory: readonly InventoryKey[], label: string, token: string): Holding[] {
  const key = inventory.find((k) => k.label === label);
  return (key?.holdings ?? []).filter((h) => h.kind === 'backup' || (h.token !== token && h.destroyedBy === undefined));
}
