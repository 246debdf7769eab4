// The UI is imported with no global fetch (src/cli/ui-loader.ts): yoga-layout then decodes its
// base64 WebAssembly itself instead of fetching its data: URL through undici, which Node would
// load for that alone. fetch is back as it was afterwards, whether the import worked or not.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { withoutFetch } from '../../src/cli/ui-loader.js';

const LOADER = new URL('../../dist/cli/ui-loader.js', import.meta.url).href;

t.test('fetch is hidden while the UI loads, and put back after, also when the load fails', async (t) => {
  const fetch = globalThis.fetch;
  const seen = await withoutFetch(async () => typeof globalThis.fetch);
  t.equal(seen, 'undefined', 'no fetch during the load');
  t.equal(globalThis.fetch, fetch, 'the same fetch after it');
  await t.rejects(
    withoutFetch(() => Promise.reject(new Error('the UI did not load'))),
    { message: 'the UI did not load' },
  );
  t.equal(globalThis.fetch, fetch, 'the same fetch after a failed load');
});

/** Imports yoga-layout in a fresh node (with or without withoutFetch), lays out one node, and reports whether undici was loaded. */
function yogaInFreshNode(hidden: boolean): { undici: boolean; width: number } {
  const load = hidden ? `(await import(${JSON.stringify(LOADER)})).withoutFetch(() => import('yoga-layout'))` : `import('yoga-layout')`;
  const script = `const { default: Yoga } = await ${load};
const node = Yoga.Node.create(); node.setWidth(80); node.calculateLayout();
console.log(JSON.stringify({ undici: process.moduleLoadList.some((m) => m.includes('undici')), width: node.getComputedWidth() }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../../', import.meta.url).pathname, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { undici: boolean; width: number };
}

t.test('yoga-layout works without fetch, and no longer makes Node load undici', async (t) => {
  t.same(yogaInFreshNode(false), { undici: true, width: 80 }, 'with fetch: yoga fetches its data: URL, and undici is loaded');
  t.same(yogaInFreshNode(true), { undici: false, width: 80 }, 'without: the same layout, no undici');
});
