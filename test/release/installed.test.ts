// An unpacked release (npm run release, then tar -x): its launcher, its lazy chunks, and
// `keyceremony self-check` against a changed byte in every file, a missing file, an extra
// file, and a SHA256SUMS rewritten to match a changed file.
import t from 'tap';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { keyceremony } from '../helpers/cli.js';
import { buildRelease, launcher, NODE_PATH_ONLY, outputsWith, unpack } from '../helpers/release.js';
import { run, softhsm } from '../helpers/softhsm.js';

const release = await buildRelease(t);
const top = await unpack(t, release.tarball);
const version = (JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), 'kc-installed-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const sumsText = readFileSync(join(top, 'SHA256SUMS'), 'utf8');
const listed = sumsText
  .trimEnd()
  .split('\n')
  .map((line) => line.slice(66));
const selfCheck = () => launcher(top, ['self-check']);

/** `sha256sum SHA256SUMS` (coreutils), the bundle hash as a verifier computes it without keyceremony. */
async function coreutilsBundleHash(dir: string): Promise<string> {
  const result = await run('sha256sum', ['SHA256SUMS'], { cwd: dir });
  return result.stdout.split(' ')[0]!;
}

/** A folder holding a `node` that reports `version` to --version and is the real Node otherwise. */
function nodeReporting(version: string): string {
  const dir = mkdtempSync(join(scratch, 'node-'));
  writeFileSync(join(dir, 'node'), `#!/bin/sh\nif [ "$1" = --version ]; then echo '${version}'; exit 0; fi\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(dir, 'node'), 0o755);
  return dir;
}

t.test('the launcher runs the bundle with the Node on PATH: by path, from its folder, through a symlink', async (t) => {
  const direct = await launcher(top, ['--version']);
  t.equal(direct.code, 0, direct.stderr);
  t.equal(direct.stdout, `keyceremony ${version}\n`);
  for (const [command, args] of [
    ['./keyceremony', []],
    ['sh', ['keyceremony']],
  ] as const) {
    const here = await run(command, [...args, '--version'], { env: { PATH: NODE_PATH_ONLY }, cwd: top });
    t.equal(here.stdout, `keyceremony ${version}\n`, `${command} ${args.join(' ')} from the release folder`);
  }
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync(join(top, 'keyceremony'), join(bin, 'keyceremony'));
  const linked = await run(join(bin, 'keyceremony'), ['validate', join(top, 'ceremonies/hca-g3-keygen.yaml')], { env: { PATH: NODE_PATH_ONLY }, cwd: scratch });
  t.equal(linked.code, 0, linked.stderr);
  t.match(linked.stdout, 'hca-g3-keygen is valid');
});

t.test('the launcher refuses a missing or too old Node with a clear message (exit 2)', async (t) => {
  // The launcher needs no program but node: an empty folder as PATH leaves it none at all.
  const none = await launcher(top, ['--version'], { PATH: mkdtempSync(join(scratch, 'empty-')) });
  t.equal(none.code, 2);
  t.equal(
    none.stderr,
    'keyceremony: error: node not found on PATH\nkeyceremony: hint: install Node.js 20.11 or later (README.md, "Offline install"), or put its bin folder first on PATH\n',
  );

  for (const old of ['v18.19.0', 'v20.10.1', 'v19.9.0', 'v8.17.0']) {
    const dir = nodeReporting(old);
    const result = await launcher(top, ['--version'], { PATH: `${dir}:${NODE_PATH_ONLY}` });
    t.equal(result.code, 2, old);
    t.equal(result.stdout, '', `${old}: the bundle did not run`);
    t.match(result.stderr, `keyceremony: error: ${join(dir, 'node')} is Node.js ${old}; keyceremony needs 20.11 or later\n`);
  }
  for (const ok of ['v20.11.0', 'v20.20.2', 'v22.1.0', 'v100.0.0']) {
    const result = await launcher(top, ['--version'], { PATH: `${nodeReporting(ok)}:${NODE_PATH_ONLY}` });
    t.equal(result.code, 0, `${ok}: ${result.stderr}`);
    t.equal(result.stdout, `keyceremony ${version}\n`);
  }
  for (const odd of ['v20', '20.11.0', 'v2x.11.0', '']) {
    const result = await launcher(top, ['--version'], { PATH: `${nodeReporting(odd)}:${NODE_PATH_ONLY}` });
    t.equal(result.code, 2, `"${odd}"`);
    t.match(result.stderr, `keyceremony: error: cannot tell the version of`);
  }
});

t.test('the launcher clears NODE_OPTIONS and NODE_PATH: no other code is loaded first', async (t) => {
  const marker = join(scratch, 'preloaded');
  const preload = join(scratch, 'preload.cjs');
  writeFileSync(preload, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'loaded')\n`);
  const attack = { NODE_OPTIONS: `--require=${preload}`, NODE_PATH: scratch };
  // Without the launcher the preload runs: the attack is real.
  const bare = await run(process.execPath, [join(top, 'dist/cli/bin.js'), '--version'], { env: { ...attack, PATH: NODE_PATH_ONLY } });
  t.equal(bare.code, 0);
  t.equal(readFileSync(marker, 'utf8'), 'loaded', 'node itself loads NODE_OPTIONS --require');
  rmSync(marker);
  const launched = await launcher(top, ['--version'], attack);
  t.equal(launched.code, 0, launched.stderr);
  t.throws(() => readFileSync(marker), { code: 'ENOENT' }, 'the launcher ran the bundle without the preload');
});

const outputs = new Map(Object.entries(release.metafile.outputs).map(([path, output]) => [path.split('/').pop()!, output]));

/** The outputs bin.js loads by static imports, transitively: what every command loads. */
function staticClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const i of outputs.get(name)!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path.split('/').pop()!);
  };
  visit('bin.js');
  return seen;
}

t.test('the terminal UI, x509 and pkcs11js stay lazy in the bundle: --version and validate run without them', async (t) => {
  const closure = staticClosure();
  const ui = outputsWith(release.metafile, 'node_modules/ink');
  const x509 = outputsWith(release.metafile, 'node_modules/@peculiar/x509');
  t.ok(ui.length > 0 && x509.length > 0, `the UI is in ${ui.join(', ')}; x509 in ${x509.join(', ')}`);
  for (const chunk of [...ui, ...x509]) t.notOk(closure.has(chunk.split('/').pop()!), `${chunk} is not loaded by bin.js's static imports`);
  t.notOk(
    [...closure].some((name) => outputs.get(name)!.imports.some((i) => i.path === 'pkcs11js')),
    'pkcs11js is not imported statically',
  );
  // The proof by deletion: a copy without the UI and x509 chunks and without pkcs11js still
  // answers --version, --help and validate; a static import of any of them would fail at start.
  const copy = await unpack(t, release.tarball);
  for (const file of [...ui, ...x509]) unlinkSync(join(copy, file));
  rmSync(join(copy, 'node_modules'), { recursive: true });
  for (const args of [['--version'], ['--help'], ['validate', join(copy, 'ceremonies/hca-g3-keygen.yaml')]]) {
    const result = await launcher(copy, args);
    t.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  }
  const help = await launcher(copy, ['--help']);
  t.match(help.stdout, 'keyceremony self-check');
  // And the deleted chunks are really used: `hsm info` needs pkcs11js and fails without it.
  const hsm = await launcher(copy, ['hsm', 'info', '--hsm', join(copy, 'ceremonies/profiles/softhsm-dry-run.yaml')]);
  t.not(hsm.code, 0);
  t.match(hsm.stderr, /pkcs11js/);
});

t.test('self-check of an intact release: exit 0, every file listed, the bundle hash in hex groups and PGP words', async (t) => {
  const result = await selfCheck();
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const hash = await coreutilsBundleHash(top);
  const hex = groupedHex(hash).split(' ');
  const words = pgpWords(Buffer.from(hash, 'hex')).split(' ');
  t.equal(
    result.stdout,
    [
      `keyceremony ${version} in ${top}: all ${listed.length} files match SHA256SUMS, none missing, none extra`,
      'bundle hash (SHA-256 of SHA256SUMS; `sha256sum SHA256SUMS` prints the same):',
      `  ${hex.slice(0, 8).join(' ')}`,
      `  ${hex.slice(8).join(' ')}`,
      ...[0, 8, 16, 24].map((i) => `  ${words.slice(i, i + 8).join(' ')}`),
      'compare it with the bundle hash on the approved ceremony script',
      '',
    ].join('\n'),
  );
  t.match(release.stdout, `  ${hex.slice(0, 8).join(' ')}`, 'the build printed the same bundle hash');
  // sha256sum -c agrees that the list is right, and the list covers every file there is.
  const coreutils = await run('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: top });
  t.equal(coreutils.code, 0, coreutils.stdout + coreutils.stderr);
  const found = await run('find', ['.', '-type', 'f', '!', '-name', 'SHA256SUMS', '-printf', '%P\\n'], { cwd: top });
  t.same(found.stdout.trimEnd().split('\n').sort(), [...listed].sort());
});

/** `file` with one byte changed so that it still loads (a final newline becomes a space, else the last byte's low bit flips); returns the original bytes. */
function changeOneByte(path: string): Buffer {
  const original = readFileSync(path);
  const changed = Buffer.from(original);
  const last = changed.length - 1;
  changed[last] = changed[last] === 0x0a ? 0x20 : changed[last]! ^ 0x01;
  writeFileSync(path, changed);
  return original;
}

/** What self-check prints to stderr when the release's `problems` are these. */
const differs = (problems: string[]) =>
  `keyceremony: error: the installed release in ${top} differs from its SHA256SUMS: ${problems.join('; ')}\nkeyceremony: hint: do not use it for a ceremony: unpack the release again from a tarball whose SHA-256 was checked\n`;

// Every file of the release changed at once, in one self-check run (the check hashes each listed
// file on its own, so one run names each changed file as a run per file would; 145 launcher
// runs were about 40 s of CPU). Each change keeps its file loadable, so what fails is the check,
// not a broken file, also for the launcher, bin.js and the chunks self-check itself loads. A few
// files, those the launcher and self-check run through and some plain ones, are also changed
// alone, for the message about one file.
t.test('a changed byte in any file of the release is named by self-check (exit 1)', async (t) => {
  t.ok(listed.length > 50, `${listed.length} files`);
  const alone = ['keyceremony', 'dist/cli/bin.js', 'dist/cli/startup.cjs', listed.find((f) => /^dist\/cli\/self-check-/.test(f))!, 'package.json', 'README.md'];
  for (const file of alone) {
    t.ok(listed.includes(file), `${file} is listed`);
    const path = join(top, file);
    const original = changeOneByte(path);
    try {
      const result = await selfCheck();
      t.equal(result.code, 1, `${file}: ${result.stderr}`);
      t.equal(result.stdout, '', `${file}: no bundle hash is printed`);
      t.equal(result.stderr, differs([`changed ${file}`]), file);
    } finally {
      writeFileSync(path, original);
    }
  }
  const originals = new Map(listed.map((file) => [file, changeOneByte(join(top, file))]));
  try {
    const result = await selfCheck();
    t.equal(result.code, 1, result.stderr);
    t.equal(result.stdout, '', 'no bundle hash is printed');
    const named = result.stderr
      .split('\n')[0]!
      .replace(/^.* differs from its SHA256SUMS: /, '')
      .split('; ');
    for (const file of listed) t.ok(named.includes(`changed ${file}`), `${file} is named`);
    t.equal(result.stderr, differs(listed.map((file) => `changed ${file}`)), 'each file named once, in the order of SHA256SUMS, and nothing else');
  } finally {
    for (const [file, original] of originals) writeFileSync(join(top, file), original);
  }
  const restored = await selfCheck();
  t.equal(restored.code, 0, restored.stderr);
});

t.test('self-check names a missing file, an extra file anywhere, and a file replaced by a symlink', async (t) => {
  const definition = join(top, 'ceremonies/hca-g3-keygen.yaml');
  const saved = readFileSync(definition);
  unlinkSync(definition);
  const missing = await selfCheck();
  t.equal(missing.code, 1);
  t.match(missing.stderr, /differs from its SHA256SUMS: missing ceremonies\/hca-g3-keygen\.yaml\n/);

  // The same content through a symlink still counts as changed: the release has no symlinks.
  writeFileSync(join(scratch, 'keygen.yaml'), saved);
  symlinkSync(join(scratch, 'keygen.yaml'), definition);
  const linked = await selfCheck();
  t.equal(linked.code, 1);
  t.match(linked.stderr, /differs from its SHA256SUMS: changed ceremonies\/hca-g3-keygen\.yaml\n/);
  unlinkSync(definition);
  writeFileSync(definition, saved);

  writeFileSync(join(top, 'dist/cli/chunk-preload.js'), 'export {};\n');
  mkdirSync(join(top, 'node_modules/evil'));
  writeFileSync(join(top, 'node_modules/evil/index.js'), 'module.exports = {};\n');
  symlinkSync('/etc/hostname', join(top, 'hostname'));
  const extra = await selfCheck();
  t.equal(extra.code, 1);
  t.match(extra.stderr, /differs from its SHA256SUMS: extra dist\/cli\/chunk-preload\.js; extra hostname; extra node_modules\/evil\/index\.js\n/);
  rmSync(join(top, 'dist/cli/chunk-preload.js'));
  rmSync(join(top, 'node_modules/evil'), { recursive: true });
  rmSync(join(top, 'hostname'));

  // Several problems at once are all named.
  appendFileSync(join(top, 'README.md'), 'x');
  unlinkSync(join(top, 'NOTICE'));
  writeFileSync(join(top, 'notes.txt'), 'x');
  const all = await selfCheck();
  t.equal(all.code, 1);
  t.match(all.stderr, /differs from its SHA256SUMS: changed README\.md; missing NOTICE; extra notes\.txt\n/);
  rmSync(join(top, 'notes.txt'));
  // Back to the original files, from a fresh unpack.
  const fresh = await unpack(t, release.tarball);
  for (const file of ['README.md', 'NOTICE']) cpSync(join(fresh, file), join(top, file));
  t.equal((await selfCheck()).code, 0, 'restored');
});

t.test('a damaged SHA256SUMS line is named; a path leaving the release and a second line for a file are refused', async (t) => {
  const sums = join(top, 'SHA256SUMS');
  try {
    const lines = sumsText.split('\n');
    lines[2] = lines[2]!.replace('  ', ' ');
    writeFileSync(sums, lines.join('\n'));
    const damaged = await selfCheck();
    t.equal(damaged.code, 1);
    t.match(damaged.stderr, `changed SHA256SUMS line 3; extra ${listed[2]}\n`);

    // Lines whose hashes are right for files outside the release: only their paths are wrong.
    writeFileSync(join(top, '..', 'outside'), 'x');
    const outside = (await run('sha256sum', [join(top, '..', 'outside')])).stdout.split(' ')[0]!;
    const hostname = (await run('sha256sum', ['/etc/hostname'])).stdout.split(' ')[0]!;
    writeFileSync(sums, `${sumsText}${outside}  ../outside\n${hostname}  /etc/hostname\n${sumsText.split('\n')[0]}\n`);
    const escaping = await selfCheck();
    t.equal(escaping.code, 1);
    t.match(
      escaping.stderr,
      `changed SHA256SUMS line ${listed.length + 1}; changed SHA256SUMS line ${listed.length + 2}; changed SHA256SUMS line ${listed.length + 3}\n`,
      'and a file listed twice',
    );
  } finally {
    writeFileSync(sums, sumsText);
  }
  t.equal((await selfCheck()).code, 0, 'restored');
});

t.test('a file changed together with its SHA256SUMS line passes the file check but changes the bundle hash', async (t) => {
  // The attack self-check alone cannot catch: whoever can change a file can rewrite SHA256SUMS
  // too. The bundle hash then differs from the one on the approved script, which is why the
  // witnesses compare it.
  const before = await coreutilsBundleHash(top);
  const file = join(top, 'ceremonies/hca-g3-keygen.yaml');
  const original = readFileSync(file);
  const sums = join(top, 'SHA256SUMS');
  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from('# changed\n')]));
    const hash = (await run('sha256sum', [file])).stdout.split(' ')[0]!;
    writeFileSync(sums, sumsText.replace(/^[0-9a-f]{64}(?= {2}ceremonies\/hca-g3-keygen\.yaml$)/m, hash));
    const result = await selfCheck();
    t.equal(result.code, 0, result.stderr);
    const after = await coreutilsBundleHash(top);
    t.not(after, before);
    t.match(result.stdout, `  ${groupedHex(after).split(' ').slice(0, 8).join(' ')}\n`);
    t.notMatch(result.stdout, groupedHex(before).split(' ').slice(0, 8).join(' '), 'the approved bundle hash is not shown');
  } finally {
    writeFileSync(file, original);
    writeFileSync(sums, sumsText);
  }
});

t.test('self-check outside an installed release, or with arguments, is a usage error (exit 2)', async (t) => {
  const checkout = await keyceremony(['self-check']);
  t.equal(checkout.code, 2);
  t.match(
    checkout.stderr,
    /^keyceremony: error: .+ is not an installed release: it has no SHA256SUMS\nkeyceremony: hint: self-check checks an unpacked release/,
  );
  const extraArgument = await launcher(top, ['self-check', 'now']);
  t.equal(extraArgument.code, 2);
  t.match(extraArgument.stderr, 'keyceremony: error: self-check: expected no arguments, got 1 arguments');
});

t.test('the dry-run driver inside the release wants an output folder outside it', async (t) => {
  const result = await run(process.execPath, [join(top, 'scripts/dry-run.mjs')], { env: { PATH: NODE_PATH_ONLY }, cwd: scratch });
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    `dry-run: error: no --out folder given\ndry-run: hint: give one outside the installed release: node ${join(top, 'scripts/dry-run.mjs')} --out /tmp/rehearsal\n`,
  );
  t.equal((await selfCheck()).code, 0, 'nothing was written into the release');
});

t.test('a definition pinned to this release runs from it, and the journal records the bundle hash and the self-check; another pin is refused', async (t) => {
  const hsm = softhsm(t);
  const profile = hsm.profile({ hca: 'HCA-PINNED' });
  const bundleHash = await coreutilsBundleHash(top);
  const pinned = join(scratch, 'pinned');
  mkdirSync(pinned);
  const definition = (sha: string, name: string) => {
    const file = join(pinned, `${name}.yaml`);
    writeFileSync(file, `${readFileSync(join(top, 'ceremonies/hca-token-init.yaml'), 'utf8')}\ntool: { sha256: ${sha} }\n`);
    writeFileSync(join(pinned, `${name}.answers.yaml`), readFileSync(join(top, 'ceremonies/hca-token-init.answers.yaml'), 'utf8'));
    return file;
  };
  const env = { SOFTHSM2_CONF: hsm.conf };

  const plan = await launcher(top, ['plan', definition(bundleHash, 'right')], env);
  t.equal(plan.code, 0, plan.stderr);
  t.match(plan.stdout, `bundle hash ${groupedHex(bundleHash)}`, 'plan prints the pinned release');

  const workdir = join(scratch, 'pinned-run');
  const ran = await launcher(
    top,
    ['run', definition(bundleHash, 'right'), '--hsm', profile, '--workdir', workdir, '--answers', join(pinned, 'right.answers.yaml')],
    env,
  );
  t.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
  const header = JSON.parse(readFileSync(join(workdir, 'journal.jsonl'), 'utf8').split('\n')[0]!) as {
    data: { tool: { sha256: string; release: Record<string, unknown> } };
  };
  // The tool hash takes the digests the release check made; computed here from the files.
  const distFiles = listed.filter((path) => path.startsWith('dist/')).sort();
  const toolHash = createHash('sha256');
  for (const path of ['package.json', ...distFiles])
    toolHash.update(
      `${path}\0${createHash('sha256')
        .update(readFileSync(join(top, path)))
        .digest('hex')}\n`,
    );
  t.equal(header.data.tool.sha256, toolHash.digest('hex'), 'the header tool hash covers package.json and every file under dist/, as read from disk');
  t.match(
    header.data.tool.release,
    { installed: true, bundleSha256: bundleHash, selfCheck: 'passed', problems: [] },
    'the header records the release and its self-check',
  );

  const other = 'ab'.repeat(32);
  const refusedDir = join(scratch, 'pinned-other');
  const refused = await launcher(
    top,
    ['run', definition(other, 'other'), '--hsm', profile, '--workdir', refusedDir, '--answers', join(pinned, 'other.answers.yaml')],
    env,
  );
  t.equal(refused.code, 2);
  t.match(refused.stderr, `pins keyceremony to the release with bundle hash ${groupedHex(other)}, but this release's bundle hash is ${groupedHex(bundleHash)}`);
  t.throws(() => readFileSync(join(refusedDir, 'journal.jsonl')), 'nothing was written');

  // A release with one changed file is refused even with the right pin.
  appendFileSync(join(top, 'README.md'), ' ');
  try {
    const changed = await launcher(
      top,
      ['run', definition(bundleHash, 'right'), '--hsm', profile, '--workdir', join(scratch, 'pinned-changed'), '--answers', join(pinned, 'right.answers.yaml')],
      env,
    );
    t.equal(changed.code, 2);
    t.match(changed.stderr, /differs from its SHA256SUMS: changed README\.md/);
  } finally {
    writeFileSync(join(top, 'README.md'), readFileSync(join(top, 'README.md'), 'utf8').replace(/ $/, ''));
  }
  t.equal((await selfCheck()).code, 0, 'restored');
});
