// Bench-only: preloaded with NODE_OPTIONS=--import=<this file> into the keyceremony processes
// whose orchestration time per step `npm run bench` measures (figure `steps`). It times two
// kinds of waits, as [start, end] wall-clock intervals in epoch milliseconds:
//
//   hsm    every PKCS#11 call through pkcs11js (each C_* method of each PKCS11 object, the
//          promise-returning *Async ones until they settle)
//   fsync  every fs.fsyncSync / fs.fdatasyncSync (the journal's, state.json's, the outputs')
//
// and at exit appends them as one JSON line to the file named by KC_BENCH_STEP_LOG. It records
// the method's name and the times only, never an argument or a result: C_Login and C_InitPIN
// take PINs. The bench subtracts these intervals from each step's span in the journal.
import fs, { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const log = process.env.KC_BENCH_STEP_LOG;

/** The names of an object's own properties and of those along its prototype chain. */
function propertyNames(object) {
  const names = new Set();
  for (let o = object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  return names;
}
if (log) {
  const intervals = { hsm: [], fsync: [] };
  const now = () => performance.timeOrigin + performance.now();
  const timed = (kind, name, fn) =>
    function (...args) {
      const start = now();
      let result;
      try {
        result = fn.apply(this, args);
      } catch (error) {
        intervals[kind].push([start, now(), name]);
        throw error;
      }
      if (result instanceof Promise) {
        const done = () => intervals[kind].push([start, now(), name]);
        result.then(done, done);
      } else {
        intervals[kind].push([start, now(), name]);
      }
      return result;
    };

  for (const name of ['fsyncSync', 'fdatasyncSync']) fs[name] = timed('fsync', name, fs[name]);
  // `import { fsyncSync } from 'node:fs'` and `import * as fs` see the timed functions too.
  syncBuiltinESMExports();

  // pkcs11js (CommonJS, shared by the ESM import in src/hsm) puts its C_* methods on each
  // object in its constructor: a subclass wraps them on the object after that. src/hsm reads
  // `pkcs11.PKCS11` when it opens the module, so replacing the export here is enough.
  // The bench runs dist/cli/bin.js of this checkout: the same node_modules as this file.
  const pkcs11 = createRequire(import.meta.url)('pkcs11js');
  const Original = pkcs11.PKCS11;
  pkcs11.PKCS11 = class TimedPKCS11 extends Original {
    constructor(...args) {
      super(...args);
      for (const name of propertyNames(this)) {
        if (name.startsWith('C_') && typeof this[name] === 'function') this[name] = timed('hsm', name, this[name]);
      }
    }
  };

  process.on('exit', (code) => {
    try {
      appendFileSync(log, `${JSON.stringify({ argv: process.argv.slice(1), code, ...intervals })}\n`);
    } catch {
      // a bench probe must never change how the process ends
    }
  });
}
