// Issue 9, item 5: the bad-input catalogue. Every entry of bad-inputs.catalogue.yaml (the one
// file a reviewer reads) is run through the CLI (in this process through main(argv, io), or
// the real executable in a child process for the entries marked `process: true`), and must
// end with its exit code and a
// stderr matching its message, in the CLI's format (`keyceremony: error: …`, lower case, no
// trailing period, never an internal error). A refused `run` leaves nothing half-written:
// before its journal exists, its workdir is empty or gone; after, the journal verifies. No
// share, secret or PIN appears in anything printed or written (the canary).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parse, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { CEREMONIES } from '../helpers/ceremony.js';
import { prepareChain } from '../helpers/chain.js';
import { buildCanary, scanForSecrets } from '../helpers/canary.js';
import { journalRecords } from '../helpers/ceremony.js';
import { run } from '../helpers/softhsm.js';

const CATALOGUE = fileURLToPath(new URL('./bad-inputs.catalogue.yaml', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const fileSpec = z.strictObject({
  /** Start from this file (repo-relative, or a {placeholder}). */
  from: z.string().optional(),
  /** Or from this text. */
  text: z.string().optional(),
  /** Or from a generator below (for bytes a YAML file cannot hold). */
  make: z.string().optional(),
  /**
   * YAML edits: dotted path -> new value. A step is named by its id (`steps[id=csr].output`),
   * so inserting a step into a ceremony moves no entry; numbers index other lists.
   */
  set: z.record(z.string(), z.unknown()).optional(),
  delete: z.array(z.string()).optional(),
  /** Text edits, applied after the YAML edits. */
  replace: z.array(z.tuple([z.string(), z.string()])).optional(),
});
const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/),
  area: z.enum(['usage', 'definition', 'profile', 'answers', 'shares', 'csr', 'certificate', 'files', 'names', 'values']),
  bad: z.string().min(10),
  run: z.array(z.string()).min(1),
  files: z.record(z.string(), fileSpec).default({}),
  /** Standard input: text, or a generator's name. */
  stdin: z.union([z.string(), z.strictObject({ make: z.string() })]).optional(),
  exit: z.number().int().min(1).max(3),
  /** A regular expression over stderr. */
  stderr: z.string().min(1),
  /** Run the real executable in a child process instead of main() in the test's process. */
  process: z.literal(true).optional(),
});
type Entry = z.infer<typeof entrySchema>;

const entries = z.array(entrySchema).parse(parse(readFileSync(CATALOGUE, 'utf8')));

const chain = await prepareChain(t, 'hca-g3-keygen');
// The chain has generated HCA-G3 on the token already, and `run` refuses before sign-in a
// definition whose new key label exists (the HSM pre-flight). The entries that run the key
// generation use a copy of the ceremonies whose keygen makes a key of another label.
const ceremoniesCopy = mkdtempSync(join(tmpdir(), 'kc-bad-inputs-ceremonies-'));
t.teardown(() => rmSync(ceremoniesCopy, { recursive: true, force: true }));
cpSync(CEREMONIES, ceremoniesCopy, { recursive: true });
writeFileSync(
  join(ceremoniesCopy, 'hca-g3-keygen.yaml'),
  readFileSync(join(CEREMONIES, 'hca-g3-keygen.yaml'), 'utf8')
    .replace('label: HCA-G3,', 'label: HCA-G3-AGAIN,')
    .replace('key: HCA-G3\n', 'key: HCA-G3-AGAIN\n'),
);
const canary = buildCanary(Object.values(chain.workdirs));

t.test('the catalogue', async (t) => {
  t.ok(entries.length >= 40, `${entries.length} bad inputs (at least 40)`);
  t.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'every id is unique');
  for (const area of entrySchema.shape.area.options)
    t.ok(
      entries.some((e) => e.area === area),
      `covers ${area}`,
    );
  const spawned = entries.filter((e) => e.process);
  t.ok(spawned.length >= 4, `${spawned.length} entries run the real executable in a child process`);
  t.ok(
    spawned.some((e) => e.stdin !== undefined) && spawned.some((e) => e.exit === 1) && spawned.some((e) => e.exit === 2),
    'among them standard input through a pipe, and exits 1 and 2',
  );
});
t.test('the catalogue names a step by its id, never by its position (a step inserted moves no entry)', async (t) => {
  const doc = parseDocument('steps:\n  - { id: a }\n  - { id: b, key: { bits: 1 } }\nroles: { x: [1, 2] }\n');
  t.same(pathIn(doc, 'd.yaml', 'steps[id=b].key.bits'), ['steps', 1, 'key', 'bits']);
  t.same(pathIn(doc, 'd.yaml', 'roles.x.1'), ['roles', 'x', 1], 'numbers still index other lists');
  t.throws(() => pathIn(doc, 'd.yaml', 'steps.1.key'), /d\.yaml: steps\.1\.key: name the step by its id/);
  t.throws(() => pathIn(doc, 'd.yaml', 'steps[id=c].key'), /steps has no item with id "c"/);
  t.throws(() => pathIn(doc, 'd.yaml', 'steps[id=b]]'), /is not a path/);
  t.throws(() => fill('{steps[id=c]}', {}), /no file of this entry has that step/);
  const positions: Record<string, string> = {};
  stepPositions(doc, 'd.yaml', positions);
  t.same(positions, { 'steps[id=a]': 'steps[0]', 'steps[id=b]': 'steps[1]' });
});

const shareFile = (custodian: string, workdir = 'hca-token-init') =>
  readFileSync(join(chain.workdirs[workdir as 'hca-token-init']!, 'dry-run-shares', custodian), 'utf8');
/** A custodian's share of a credential, as issued: the dry-run share file's line for it. */
const shareOf = (custodian: string, credential = 'hca-user-pin', workdir = 'hca-token-init') => {
  const line = shareFile(custodian, workdir)
    .split('\n')
    .find((l) => l.startsWith(`${credential} `));
  if (!line) throw new Error(`no ${credential} share for ${custodian}`);
  return line.split(/\s+/).slice(2).join(' ');
};
const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;
const derOf = (text: string) => Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const csrText = () => readFileSync(join(chain.workdirs['hca-g3-keygen']!, 'outputs', 'hca-g3.csr'), 'utf8');
const rootText = () => readFileSync(join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-dryrun.crt'), 'utf8');
/** Changes the second character of a share's group (5: a payload group) to another valid one. */
const typo = (share: string, group = 5) => {
  const groups = share.split('-');
  const g = groups[group - 1]!;
  groups[group - 1] = `${g[0]}${g[1] === 'A' ? 'B' : 'A'}${g.slice(2)}`;
  return groups.join('-');
};

/** Bytes a YAML file cannot hold, or that must come from this run's chain. */
const GENERATORS: Record<string, () => string | Buffer> = {
  'hc1-share': () => shareOf('hc1'),
  'hc1-share-lower-case-no-dashes': () => shareOf('hc1').replace(/-/g, '').toLowerCase(),
  'hc1-share-typo-group-5': () => typo(shareOf('hc1')),
  'hc1-share-typo-groups-5-and-7': () => typo(typo(shareOf('hc1'), 5), 7),
  'hc1-share-two-groups-short': () => shareOf('hc1').split('-').slice(0, -2).join('-'),
  'hc1-share-one-group-too-many': () => `${shareOf('hc1')}-${shareOf('hc1').split('-')[4]}`,
  'hc1-share-with-a-star': () => shareOf('hc1').replace(/-(.)/, '-*'),
  'hc1-share-groups-swapped': () => {
    const groups = shareOf('hc1').split('-');
    [groups[4], groups[5]] = [groups[5]!, groups[4]!];
    return groups.join('-');
  },
  'root-share-rc1': () => shareOf('rc1', 'root-user-pin', 'dryrun-root-init'),
  'hc1-share-group-3-damaged': () => {
    // Group 3 holds the format version and the payload length.
    const groups = shareOf('hc1').split('-');
    groups[2] = 'Z'.repeat(5);
    return groups.join('-');
  },
  'csr-signature-flipped': () => {
    const der = derOf(csrText());
    der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
    return pem('CERTIFICATE REQUEST', der);
  },
  'csr-truncated': () => pem('CERTIFICATE REQUEST', derOf(csrText()).subarray(0, 600)),
  'csr-der-garbage': () => Buffer.from('30820400' + 'ff'.repeat(64), 'hex'),
  'root-certificate-pem': () => rootText(),
  'root-certificate-truncated': () => pem('CERTIFICATE', derOf(rootText()).subarray(0, 700)),
  'root-certificate-bit-flipped-tag': () => {
    const der = derOf(rootText());
    der[0] = 0x31;
    return pem('CERTIFICATE', der);
  },
  'csr-pem': () => csrText(),
  // Issue 14: sizes and encodings. A comment pads a valid file past its cap.
  'definition-over-1-mib': () => `${readFileSync(join(CEREMONIES, 'hca-g3-keygen.yaml'), 'utf8')}${'# padding\n'.repeat(110_000)}`,
  'answers-over-1-mib': () => `${readFileSync(join(CEREMONIES, 'hca-g3-keygen.answers.yaml'), 'utf8')}${'# padding\n'.repeat(110_000)}`,
  'sixteen-mib-and-one-byte': () => Buffer.alloc(16 * 1024 * 1024 + 1, 0x30),
  // A Latin-1 byte (0xff) at the end of the English title (line 8), where any text is valid.
  'definition-invalid-utf8': () =>
    Buffer.from(
      readFileSync(join(CEREMONIES, 'hca-g3-keygen.yaml'), 'latin1').replace(
        '  en: HCA G3 CA key generation and CSR\n',
        '  en: HCA G3 CA key generation and CSR\xff\n',
      ),
      'latin1',
    ),
  'hsm-profile-invalid-utf8': () => Buffer.concat([readFileSync(chain.store.profile), Buffer.from('description: caf\xe9 rehearsal\n', 'latin1')]),
  'csr-sha256-wrong': () => 'ab'.repeat(32),
  // A CA ledger that belongs to MOICA G3's key (another CA), written by hand as
  // docs/ledger-format.md specifies, its key hash by openssl: it matches that certificate, so
  // only the step's own check that the signing key is the issuer's key stands in the way.
  'moica-g3-ledger': () => {
    const openssl = (args: string[], input?: Buffer) => spawnSync('openssl', args, { input }).stdout;
    const publicKey = openssl(['x509', '-inform', 'DER', '-in', join(REPO, 'test/x509/fixtures/moica-g3.cer'), '-noout', '-pubkey']);
    const spkiSha256 = createHash('sha256')
      .update(openssl(['pkey', '-pubin', '-outform', 'DER'], publicKey))
      .digest('hex');
    if (!/^[0-9a-f]{64}$/.test(spkiSha256) || publicKey.length === 0) throw new Error('openssl could not read the MOICA G3 key');
    // RFC 8785 canonical JSON: keys sorted, no spaces (plain ASCII, so no escaping differs).
    return `{"format":"keyceremony-ca-ledger/1","issuer":"C=TW, O=MOICA","opened":{"ceremony":"moica","step":"opened","time":"2026-01-01T00:00:00.000Z"},"seq":0,"spkiSha256":"${spkiSha256}"}\n`;
  },
};

const placeholders = (entry: Entry, dir: string): Record<string, string> => ({
  repo: REPO,
  ceremonies: `${ceremoniesCopy}/`,
  profile: chain.store.profile,
  workdir: join(dir, 'workdir'),
  dir,
  'hca-manifest': join(chain.workdirs['hca-token-init']!, 'outputs', 'hca-user-pin.init.manifest.json'),
  'root-manifest': join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-user-pin.init.manifest.json'),
  'keygen-workdir': chain.workdirs['hca-g3-keygen']!,
  ...Object.fromEntries(Object.keys(entry.files).map((name) => [name, join(dir, name)])),
});

/**
 * {name} is a placeholder's value, {make:generator} a generator's text, and {steps[id=csr]}
 * where the entry's definition has that step, as its messages name it (`steps[5]`).
 */
const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{([a-z0-9.:-]+|steps\[id=[a-z0-9-]+\])\}/g, (whole, name: string) => {
    if (name.startsWith('make:')) return String(GENERATORS[name.slice(5)]?.() ?? whole);
    if (name.startsWith('steps[') && values[name] === undefined) throw new Error(`catalogue: ${whole}: no file of this entry has that step`);
    return values[name] ?? whole;
  });

/** A dotted YAML path in `doc` as `setIn` takes it, each `[id=…]` the index of the list item with that id. */
function pathIn(doc: Document, file: string, path: string): Array<string | number> {
  const tokens = [...path.matchAll(/\.?([^.[\]]+)|\[id=([^\]]+)\]/g)];
  if (tokens.map((m) => m[0]).join('') !== path) throw new Error(`catalogue: file ${file}: "${path}" is not a path (keys with dots, [id=…] for a list item)`);
  const parts: Array<string | number> = [];
  for (const [, key, id] of tokens) {
    if (id !== undefined) {
      const list = doc.getIn(parts);
      const index = isSeq(list) ? list.items.findIndex((item) => isMap(item) && item.get('id') === id) : -1;
      if (index < 0) throw new Error(`catalogue: file ${file}: ${path}: ${parts.join('.')} has no item with id "${id}"`);
      parts.push(index);
    } else if (/^\d+$/.test(key!)) {
      if (parts.at(-1) === 'steps') throw new Error(`catalogue: file ${file}: ${path}: name the step by its id (steps[id=…]), not by its position`);
      parts.push(Number(key));
    } else parts.push(key!);
  }
  return parts;
}

/** `steps[id=X]` -> `steps[i]` for every step of the file, from before the edits (for the messages). */
function stepPositions(doc: Document, file: string, values: Record<string, string>): void {
  const steps = doc.get('steps');
  if (!isSeq(steps)) return;
  steps.items.forEach((item, i) => {
    const id = isMap(item) ? item.get('id') : undefined;
    if (typeof id !== 'string') return;
    const key = `steps[id=${id}]`;
    if (values[key] !== undefined && values[key] !== `steps[${i}]`)
      throw new Error(`catalogue: file ${file}: step ${id} stands at another position in another file of the entry`);
    values[key] = `steps[${i}]`;
  });
}

function makeFile(name: string, spec: z.infer<typeof fileSpec>, values: Record<string, string>): Buffer {
  let content: string | Buffer;
  if (spec.make !== undefined) {
    const make = GENERATORS[spec.make];
    if (!make) throw new Error(`catalogue: file ${name}: no generator "${spec.make}"`);
    content = make();
  } else if (spec.text !== undefined) content = fill(spec.text, values);
  else if (spec.from !== undefined) {
    const from = fill(spec.from, values);
    content = readFileSync(from.startsWith('/') ? from : join(REPO, from), 'utf8');
  } else throw new Error(`catalogue: file ${name} needs from, text or make`);
  if (spec.set || spec.delete) {
    const doc = parseDocument(String(content));
    stepPositions(doc, name, values);
    // Every path is resolved before any edit: an edit may change the id another path names.
    const sets = Object.entries(spec.set ?? {}).map(([path, value]) => [pathIn(doc, name, path), value] as const);
    const deletes = (spec.delete ?? []).map((path) => pathIn(doc, name, path));
    for (const [path, value] of sets) doc.setIn(path, typeof value === 'string' ? fill(value, values) : value);
    for (const path of deletes) doc.deleteIn(path);
    content = doc.toString();
  }
  for (const [from, to] of spec.replace ?? []) {
    const text = String(content);
    if (!text.includes(from)) throw new Error(`catalogue: file ${name}: "${from}" is not in it`);
    content = text.replace(from, fill(to, values));
  }
  return typeof content === 'string' ? Buffer.from(content) : content;
}

for (const entry of entries) {
  t.test(`${entry.id}: ${entry.bad}`, async (t) => {
    const dir = join(chain.dir, 'catalogue', entry.id.replace('/', '--'));
    mkdirSync(dir, { recursive: true });
    // Answers files name the earlier ceremonies' workdirs relative to themselves.
    for (const id of ['dryrun-root-init', 'hca-token-init', 'hca-g3-keygen'] as const) symlinkSync(chain.workdirs[id]!, join(dir, id));
    const values = placeholders(entry, dir);
    for (const [name, spec] of Object.entries(entry.files)) writeFileSync(join(dir, name), makeFile(name, spec, values));
    const stdin = entry.stdin === undefined ? undefined : typeof entry.stdin === 'string' ? entry.stdin : String(GENERATORS[entry.stdin.make]!());
    const args = entry.run.map((arg) => fill(arg, values));
    const options = { env: chain.store.env, ...(stdin === undefined ? {} : { input: stdin }), cwd: dir };
    const result =
      args[0] !== 'keyceremony'
        ? await run(args[0]!, args.slice(1), options)
        : entry.process
          ? await keyceremony(args.slice(1), options)
          : await keyceremonyInProcess(args.slice(1), options);

    // KC_SHOW=1 prints what each entry printed, for a reviewer reading the messages.
    if (process.env.KC_SHOW) console.error(`## ${entry.id}\n${result.stderr}`);
    t.equal(result.code, entry.exit, `exit ${entry.exit}`);
    t.match(
      result.stderr,
      new RegExp(fill(entry.stderr, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')])))),
      'the message',
    );
    const [first = '', ...rest] = result.stderr.trim().split('\n');
    // Lower case: a message starts with a small letter, a name, a path or an acronym (PKCS#11).
    t.match(first, /^keyceremony: error: (?![A-Z][a-z])/, 'stderr starts with `keyceremony: error:` and a lower-case message');
    t.notMatch(first, /\.$/, 'no trailing period');
    t.notMatch(result.stderr, /internal error/, 'not an internal error');
    t.ok(
      rest.every((line) => line.startsWith('  ') || line.startsWith('keyceremony: ')),
      'every further line is indented or a keyceremony: line',
    );

    const workdir = values.workdir!;
    if (existsSync(join(workdir, 'journal.jsonl'))) t.ok(journalRecords(workdir).length > 0, 'the journal of the refused run verifies');
    else t.same(existsSync(workdir) ? readdirSync(workdir) : [], [], 'no journal: the workdir is empty or was never made');
    t.same(
      scanForSecrets(canary, { roots: existsSync(workdir) ? [workdir] : [], streams: { stdout: result.stdout, stderr: result.stderr } }),
      [],
      'nothing secret printed or written',
    );
  });
}
