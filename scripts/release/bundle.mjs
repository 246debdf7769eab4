// The CLI as an esbuild bundle: ESM, split into chunks so every dynamic import() of the
// sources stays lazy (the terminal UI with ink and React, src/x509, each command), written to
// <top>/dist/cli/ of the release folder.
//
// Why dist/cli/: the sources find the package root as `new URL('../../', import.meta.url)`
// (package.json for the version, dist/ for the tool hash in the journal header). Every
// output file lands in that one folder, so the same lookups work in the bundle as in a
// checkout without the build knowing where in src/ they are.
import { build } from 'esbuild';
import { join } from 'node:path';

/** The CLI's entry, the file package.json's `bin` is compiled from. */
export const ENTRY = 'src/cli/bin.ts';
/** The output folder inside the release folder (see above). */
export const BUNDLE_DIR = 'dist/cli';

/**
 * How the CLI is bundled, for the release and for the test suite alike, so the tests spawn
 * what the release ships (one set of options, not two copies).
 */
const CLI_OPTIONS = {
  format: 'esm',
  // Chunks: a dynamic import() becomes a chunk loaded only when that import runs.
  splitting: true,
  // The native addon cannot be bundled: pkcs11js is shipped as a package folder of its own
  // under <top>/node_modules/ (pkcs11-addon.mjs). react-devtools-core is only imported by
  // ink when DEV=true, and is not installed in the checkout either.
  external: ['pkcs11js', 'react-devtools-core'],
  // React's production build, which src/cli/ui-loader.ts selects at run time anyway
  // (NODE_ENV ??= 'production'); its development build would add ~265 KB to the UI chunk.
  // The ui-loader's assignment becomes a no-op on a constant, which esbuild warns about.
  define: { 'process.env.NODE_ENV': '"production"' },
  logOverride: { 'assign-to-define': 'silent' },
  // CommonJS dependencies (secrets.js-grempe, tsyringe, React) call require() for Node's
  // built-ins; in an ESM output that needs a real require in every chunk.
  banner: { js: "import { createRequire as __keyceremonyRequire } from 'node:module'; const require = __keyceremonyRequire(import.meta.url);" },
};

/**
 * Bundles the CLI from the sources under `root` into `<top>/dist/cli/`. Returns esbuild's
 * metafile (which input went into which output), from which the licence notice is made.
 */
export async function bundleCli({ root, top, sourcemap = false }) {
  return buildFromSources(root, {
    // Profiling only (scripts/bench/ui-profile.mjs): maps written beside the chunks, which
    // stay byte for byte as without them (no sourceMappingURL comment).
    ...(sourcemap ? { sourcemap: 'external' } : {}),
    entryPoints: [ENTRY],
    outdir: join(top, BUNDLE_DIR),
    ...CLI_OPTIONS,
  });
}

/**
 * The CLI bundled as the release bundles it (bundleCli's options), for the test suite
 * (test/helpers/test-bundle.mjs): a spawned keyceremony loads a few chunks instead of the
 * hundreds of module files of dist/ (about a third less CPU per start). `entries` maps an
 * output path under `<top>/dist/` (without .js) to its source, so that the modules the fault
 * runner (test/helpers/fault-cli.ts) imports by path are where they are in dist/; the chunks
 * go to dist/cli/ as in the release. Every output file is two folders below `top`, so the
 * sources' `new URL('../../', import.meta.url)` is `top`, as it is the package root in a checkout.
 */
export async function bundleForTests({ root, top, entries }) {
  return buildFromSources(root, {
    entryPoints: Object.entries(entries).map(([out, source]) => ({ in: source, out })),
    outdir: join(top, 'dist'),
    chunkNames: 'cli/[name]-[hash]',
    ...CLI_OPTIONS,
  });
}

/** The start-up snapshot's entry (src/cli/startup-snapshot.ts) and its bundle in BUNDLE_DIR. */
export const SNAPSHOT_ENTRY = 'src/cli/startup-snapshot.ts';
export const SNAPSHOT_SCRIPT = 'startup.cjs';

/**
 * Bundles the start-up snapshot's entry into `<top>/dist/cli/startup.cjs`: one CommonJS file
 * with everything `validate` needs (a script wrapped in a function), because Node 20 builds a snapshot from one
 * script and cannot hold ES modules in it. The launcher builds the snapshot from it on the
 * ceremony terminal (`keyceremony --build-startup-snapshot`): a V8 snapshot is not the same
 * byte for byte from build to build, so it cannot be part of this reproducible release.
 * Returns esbuild's metafile.
 */
export async function bundleStartupSnapshot({ root, top }) {
  return buildFromSources(root, {
    entryPoints: [SNAPSHOT_ENTRY],
    outfile: join(top, BUNDLE_DIR, SNAPSHOT_SCRIPT),
    // A script, not a CommonJS module: the snapshot builder gives it require() for Node's
    // built-ins but no `module` to export to.
    format: 'iife',
    // Nothing on the validate path loads these; they stay out as in the main bundle.
    external: ['pkcs11js', 'react-devtools-core'],
    // The sources find package.json from import.meta.url; in CommonJS the entry sets it from
    // the path the process was started with (src/cli/startup-snapshot.ts).
    define: { 'import.meta.url': 'globalThis.__keyceremonyModuleUrl', 'process.env.NODE_ENV': '"production"' },
    logOverride: { 'assign-to-define': 'silent' },
  });
}

/**
 * zod's message locales, English and Traditional Chinese only. zod exports every one of its
 * 40-odd locales as `z.locales` (about 230 KB, a sixth of the start-up snapshot's script), and
 * bundling cannot drop them, because `z` is one object. keyceremony reads two of them: English
 * (the default, which zod imports from locales/en.js itself) and zh-TW (`journal verify` words
 * a record that does not fit its event in the terminal's language, src/journal/events.ts).
 * Every start parsed the other locales and every snapshot carried them.
 */
const zodTwoLocales = {
  name: 'zod-en-and-zh-tw-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /node_modules\/zod\/v4\/(classic|core)$/.test(args.resolveDir)
        ? { path: 'en', namespace: 'zod-locales', pluginData: join(args.resolveDir, '../locales') }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';\nexport { default as zhTW } from './zh-TW.js';\n",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

/**
 * esbuild over the sources under `root` with what both bundles share: Node 20.11, the
 * repository's tsconfig, whitespace and syntax minified only (class and function names stay:
 * errors set their name from the class, and stack traces from a ceremony terminal stay
 * readable), licence comments at the end. Returns esbuild's metafile.
 */
async function buildFromSources(root, options) {
  const result = await build({
    absWorkingDir: root,
    tsconfig: join(root, 'tsconfig.json'),
    bundle: true,
    platform: 'node',
    target: 'node20.11',
    plugins: [zodTwoLocales],
    ...options,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'eof',
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error(`esbuild: ${result.errors.length} errors`);
  return result.metafile;
}

/** The npm package folders (node_modules/…/<name>) whose files went into the bundle. */
export function bundledPackageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return [...dirs].sort();
}
