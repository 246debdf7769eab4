// fieldAt reads untrusted parsed JSON without asserting its type: own data fields only.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fieldAt } from '../../src/util/field-at.js';
import { asError, errorMessage, isSystemError } from '../../src/util/storage.js';

t.test('fieldAt follows a path of own fields and reads anything else as undefined', async (t) => {
  const data: unknown = JSON.parse('{"hsm":{"profile":{"dryRun":true}},"list":[1,2],"nul":null}');
  t.equal(fieldAt(data, 'hsm', 'profile', 'dryRun'), true);
  t.equal(fieldAt(data, 'hsm', 'missing', 'dryRun'), undefined, 'a missing step');
  t.equal(fieldAt(data, 'nul', 'x'), undefined, 'null on the way');
  t.equal(fieldAt(data, 'list', '1'), 2, 'arrays are objects');
  t.equal(fieldAt('text', 'length'), undefined, 'a string has no fields here');
  t.equal(fieldAt(data), data, 'the empty path is the value');
  t.equal(fieldAt({}, 'toString'), undefined, 'nothing from the prototype');
  let called = false;
  const withGetter = Object.defineProperty({}, 'secret', {
    get: () => {
      called = true;
      return 'x';
    },
    enumerable: true,
  });
  t.equal(fieldAt(withGetter, 'secret'), undefined, 'a getter is not run');
  t.notOk(called);
});

t.test('thrown values: messages, Errors and system errors', async (t) => {
  t.equal(errorMessage(new Error('disk full')), 'disk full');
  t.equal(errorMessage('a string was thrown'), 'a string was thrown');
  t.equal(asError('plain').message, 'plain');
  const e = new Error('x');
  t.equal(asError(e), e);
  let enoent: unknown;
  try {
    readFileSync('/nonexistent/keyceremony-field-at');
  } catch (error) {
    enoent = error;
  }
  t.ok(isSystemError(enoent), 'a real ENOENT from readFileSync');
  t.notOk(isSystemError(Object.assign(new Error('no syscall'), { code: 'ENOENT' })), 'a code alone is not a system error');
  t.notOk(isSystemError({ code: 'ENOENT', syscall: 'open' }), 'not an Error');
});
