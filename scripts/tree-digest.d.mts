// Types of tree-digest.mjs (plain JavaScript: scripts/build-dist.mjs runs it with node before any build).
import type { Hash } from 'node:crypto';

export function filesUnder(dir: string): string[];
export function hashTree(hash: Hash, root: string, paths: readonly string[]): Hash;
