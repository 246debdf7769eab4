// Module hooks for a grouped test process (test/helpers/together.ts registers them there only).
// A test file's `import t from 'tap'` is resolved to test/helpers/together-tap.ts, whose default
// export stands for the subtest that runs that file, so each file keeps its own `t`: its
// t.before, t.beforeEach, t.teardown and t.plan apply to that file alone, as they did when it had
// a process of its own, and a failure is reported under the file's name. Only modules under test/
// are redirected; together.ts and together-tap.ts themselves get tap's real root.
const SHIM = new URL('./together-tap.ts', import.meta.url).href;
const OWN = new Set([SHIM, new URL('./together.ts', import.meta.url).href]);
const TEST_ROOT = new URL('../', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL?.split('?')[0];
  if (specifier === 'tap' && parent !== undefined && parent.startsWith(TEST_ROOT) && !OWN.has(parent)) {
    return { url: SHIM, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
