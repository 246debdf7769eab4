// The history across ceremonies: the ceremonies of a folder put in the order they ran (by
// the time each journal was opened), every input linked to the output that produced it, the
// life of every key, share set and token, and what does not add up, as findings. Any finding
// makes `keyceremony history` exit 1; the auditor reads the history document for the rest.
import type { At, CeremonyFacts, KeyEvent, OutputFact, ShareSetEvent, TokenFact } from './facts.js';
import { sealChecks, type SealLink } from './seals.js';

/**
 * Kinds of file that one ceremony consumes and no other may: a certificate request is
 * answered once (a second certificate for the same request is a second CA certificate for
 * one key). Certificates, manifests and CRLs are read by any number of later ceremonies.
 */
const CONSUMED_ONCE = new Set(['csr']);

export type Finding =
  | { kind: 'journal'; workdir: string; message: string }
  | { kind: 'file'; workdir: string; message: string }
  | { kind: 'same-journal'; workdirs: [string, string] }
  | { kind: 'input-unknown'; at: At; input: string; sha256: string; unconsumed: OutputFact[] }
  | { kind: 'input-later'; at: At; input: string; output: OutputFact }
  | { kind: 'input-kind'; at: At; input: string; inputKind: string; output: OutputFact }
  | { kind: 'consumed-twice'; input: string; output: OutputFact; by: At[] }
  | { kind: 'ledger-fork'; input: string; sha256: string; output: OutputFact | undefined; by: At[] }
  | { kind: 'key-after-destruction'; key: string; destroyed: At; used: KeyEvent }
  | { kind: 'set-after-rotation'; setId: string; rotated: At; used: At }
  | { kind: 'token-serial'; label: string; serials: Array<{ serial: string; ceremonies: string[] }> }
  | { kind: 'seal-mismatch'; link: SealLink }
  | { kind: 'seal-gap'; link: SealLink };

export interface InputLink {
  at: At;
  name: string;
  kind: string;
  sha256: string;
  /** The output it is, produced by an earlier ceremony; undefined when none is in the folder. */
  from: OutputFact | undefined;
}

export interface KeyLife {
  /** The SPKI SHA-256, or `label@token` for a key the records never gave by its SPKI. */
  id: string;
  spkiSha256: string | undefined;
  labels: string[];
  tokens: string[];
  algorithm: string | undefined;
  events: KeyEvent[];
}

export interface ShareSetLife {
  setId: string;
  credential: string | undefined;
  created: ShareSetEvent | undefined;
  replacedBy: ShareSetEvent | undefined;
  uses: At[];
}

export interface TokenLife {
  label: string;
  serial: string | undefined;
  model: string | undefined;
  firmware: string | undefined;
  ceremonies: string[];
}

export interface History {
  ceremonies: CeremonyFacts[];
  inputs: InputLink[];
  keys: KeyLife[];
  shareSets: ShareSetLife[];
  tokens: TokenLife[];
  seals: SealLink[];
  findings: Finding[];
}

/** Whether `a` happened before `b`: earlier ceremony, or the same ceremony and an earlier record. */
function before(order: Map<string, number>, a: At, b: At): boolean {
  const ca = order.get(a.workdir)!;
  const cb = order.get(b.workdir)!;
  return ca < cb || (ca === cb && a.seq < b.seq);
}

export function buildHistory(unordered: CeremonyFacts[], earlierFindings: Finding[]): History {
  const ceremonies = [...unordered].sort((a, b) => Date.parse(a.opened) - Date.parse(b.opened) || a.name.localeCompare(b.name));
  const order = new Map(ceremonies.map((c, i) => [c.name, i]));
  const findings = [...earlierFindings];
  const seen = new Map<string, string>();
  for (const c of ceremonies) {
    const first = c.records[0]!.hash;
    const other = seen.get(first);
    if (other) findings.push({ kind: 'same-journal', workdirs: [other, c.name] });
    else seen.set(first, c.name);
  }
  const inputs = linkInputs(ceremonies, order, findings);
  ledgerForks(ceremonies, inputs, findings);
  const keys = keyLives(ceremonies, order, findings);
  const shareSets = shareSetLives(ceremonies, order, findings);
  const tokens = tokenLives(ceremonies, findings);
  const seals = sealChecks(ceremonies);
  for (const link of seals) {
    if (link.problem === 'mismatch') findings.push({ kind: 'seal-mismatch', link });
    if (link.problem === 'gap') findings.push({ kind: 'seal-gap', link });
  }
  return { ceremonies, inputs, keys, shareSets, tokens, seals, findings };
}

function inputAt(c: CeremonyFacts): At {
  const header = c.records[0]!;
  return { ceremony: c.ceremony, workdir: c.name, step: null, seq: header.seq, time: header.time, performer: undefined, witnesses: [] };
}

function linkInputs(ceremonies: CeremonyFacts[], order: Map<string, number>, findings: Finding[]): InputLink[] {
  const outputs = ceremonies.flatMap((c) => c.outputs);
  const links: InputLink[] = [];
  for (const c of ceremonies) {
    const at = inputAt(c);
    for (const input of c.inputs) {
      const producers = outputs.filter((o) => o.sha256 === input.sha256);
      const from = producers.find((o) => before(order, o.at, at));
      links.push({ at, name: input.name, kind: input.kind, sha256: input.sha256, from });
      if (from) {
        if (from.kind !== input.kind) findings.push({ kind: 'input-kind', at, input: input.name, inputKind: input.kind, output: from });
        continue;
      }
      if (producers.length > 0) {
        findings.push({ kind: 'input-later', at, input: input.name, output: producers[0]! });
        continue;
      }
      // Not made here. Swapped, when an earlier ceremony made a file of this kind that nothing took in.
      const unconsumed = outputs.filter(
        (o) => o.kind === input.kind && before(order, o.at, at) && !ceremonies.some((other) => other.inputs.some((i) => i.sha256 === o.sha256)),
      );
      findings.push({ kind: 'input-unknown', at, input: input.name, sha256: input.sha256, unconsumed });
    }
  }
  for (const output of outputs) {
    if (!CONSUMED_ONCE.has(output.kind)) continue;
    const by = links.filter((link) => link.from === output);
    if (by.length > 1) findings.push({ kind: 'consumed-twice', input: output.name, output, by: by.map((link) => link.at) });
  }
  return links;
}

/**
 * A CA ledger is one line of history: each state of it is carried on by one ceremony, whose
 * step signs and writes the next state. Two ceremonies whose steps carried on the same state
 * (the same bytes brought in as `ledger.from`) made a fork: two branches of the key's serial
 * and CRL-number history, such as two different CRLs with the same number, each branch
 * consistent alone. A ceremony that took the ledger in but completed no step with it (stopped
 * before signing) made no branch, and its re-run is no fork.
 */
function ledgerForks(ceremonies: CeremonyFacts[], links: InputLink[], findings: Finding[]): void {
  const branches = new Map<string, { input: string; by: At[] }>();
  for (const c of ceremonies) {
    for (const input of c.inputs) {
      if (input.kind !== 'ledger') continue;
      const continued = c.ledgersContinued.find((l) => l.from === input.name);
      if (!continued) continue;
      const branch = branches.get(input.sha256);
      if (branch) branch.by.push(continued.at);
      else branches.set(input.sha256, { input: input.name, by: [continued.at] });
    }
  }
  for (const [sha256, { input, by }] of branches) {
    if (by.length < 2) continue;
    const output = links.find((link) => link.sha256 === sha256 && link.from)?.from;
    findings.push({ kind: 'ledger-fork', input, sha256, output, by });
  }
}

function keyLives(ceremonies: CeremonyFacts[], order: Map<string, number>, findings: Finding[]): KeyLife[] {
  const lives: KeyLife[] = [];
  const bySpki = new Map<string, KeyLife>();
  // The key a label names on a token at a point in time: the last placed there before it.
  const byLabel = (label: string, token: string | undefined, at: At): KeyLife | undefined => {
    let found: { life: KeyLife; at: At } | undefined;
    for (const life of lives) {
      for (const e of life.events) {
        if (e.kind !== 'placed' || e.label !== label || (token !== undefined && e.token !== token) || !before(order, e.at, at)) continue;
        if (!found || before(order, found.at, e.at)) found = { life, at: e.at };
      }
    }
    return found?.life;
  };
  const events = ceremonies.flatMap((c) => c.keys);
  for (const event of events) {
    let life = event.spkiSha256 ? bySpki.get(event.spkiSha256) : undefined;
    if (!life && event.label !== undefined && event.kind !== 'placed') life = byLabel(event.label, event.token, event.at);
    if (!life) {
      // A key first seen being used or certified was made outside these ceremonies: its life starts unknown.
      const id = event.spkiSha256 ?? `${event.label ?? '?'}@${event.token ?? '?'}`;
      life = { id, spkiSha256: event.spkiSha256, labels: [], tokens: [], algorithm: undefined, events: [] };
      lives.push(life);
      if (event.spkiSha256) bySpki.set(event.spkiSha256, life);
    }
    // A step that names its key (`key: LABEL`) and records its SPKI says the same thing twice.
    if (life.events.some((e) => e.kind === event.kind && e.at.workdir === event.at.workdir && e.at.seq === event.at.seq)) continue;
    if (event.label && !life.labels.includes(event.label)) life.labels.push(event.label);
    if (event.token && !life.tokens.includes(event.token)) life.tokens.push(event.token);
    life.algorithm ??= event.algorithm;
    life.events.push(event);
  }
  for (const life of lives) {
    const destroyed = life.events.find((e) => e.kind === 'destroyed');
    if (!destroyed) continue;
    for (const event of life.events) {
      if (event !== destroyed && before(order, destroyed.at, event.at))
        findings.push({ kind: 'key-after-destruction', key: life.labels[0] ?? life.id, destroyed: destroyed.at, used: event });
    }
  }
  return lives;
}

function shareSetLives(ceremonies: CeremonyFacts[], order: Map<string, number>, findings: Finding[]): ShareSetLife[] {
  const lives = new Map<string, ShareSetLife>();
  const life = (setId: string, credential: string | undefined): ShareSetLife => {
    let found = lives.get(setId);
    if (!found) lives.set(setId, (found = { setId, credential, created: undefined, replacedBy: undefined, uses: [] }));
    found.credential ??= credential;
    return found;
  };
  for (const event of ceremonies.flatMap((c) => c.shareSets)) {
    const set = life(event.setId, event.credential);
    if (event.kind === 'created') {
      set.created ??= event;
      if (event.replaces) life(event.replaces, event.credential).replacedBy ??= event;
    } else if (!set.uses.some((u) => u.workdir === event.at.workdir && u.step === event.at.step)) {
      set.uses.push(event.at);
    }
  }
  for (const set of lives.values()) {
    if (!set.replacedBy) continue;
    for (const use of set.uses) {
      if (before(order, set.replacedBy.at, use)) findings.push({ kind: 'set-after-rotation', setId: set.setId, rotated: set.replacedBy.at, used: use });
    }
  }
  return [...lives.values()];
}

function tokenLives(ceremonies: CeremonyFacts[], findings: Finding[]): TokenLife[] {
  const lives: TokenLife[] = [];
  for (const c of ceremonies) {
    // A token the header names before it is initialised has no serial yet: the init step's record gives it.
    const seenHere = c.tokens.filter((t) => t.serial !== undefined || !c.tokens.some((o) => o.label === t.label && o.serial !== undefined));
    for (const token of seenHere) {
      let life = lives.find((l) => l.label === token.label && l.serial === token.serial);
      if (!life) lives.push((life = { ...token, ceremonies: [] }));
      life.model ??= token.model;
      life.firmware ??= token.firmware;
      if (!life.ceremonies.includes(c.name)) life.ceremonies.push(c.name);
    }
  }
  const labels = new Set(lives.map((l) => l.label));
  for (const label of labels) {
    const same = lives.filter((l): l is TokenLife & { serial: string } => l.label === label && l.serial !== undefined);
    if (same.length > 1) findings.push({ kind: 'token-serial', label, serials: same.map((l) => ({ serial: l.serial, ceremonies: l.ceremonies })) });
  }
  return lives;
}

export type { TokenFact };
