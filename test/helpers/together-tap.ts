// What `import t from 'tap'` gives a test file in a grouped process (see together-hooks.mjs): the
// subtest that runs that file, looked up when `t` is used, or tap's root outside any file.
import tap from 'tap';

export * from 'tap';

export const CURRENT_FILE_TEST = Symbol.for('keyceremony.together.current');

type Holder = { [CURRENT_FILE_TEST]?: object };

function current(): object {
  return (globalThis as Holder)[CURRENT_FILE_TEST] ?? tap;
}

const forCurrentFile = new Proxy(tap, {
  get(_target, key) {
    const test = current();
    const value: unknown = Reflect.get(test, key, test);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(test) : value;
  },
  set(_target, key, value) {
    return Reflect.set(current(), key, value);
  },
  has(_target, key) {
    return Reflect.has(current(), key);
  },
});

export default forCurrentFile;
