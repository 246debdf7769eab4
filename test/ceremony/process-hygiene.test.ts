// Core dumps, ptrace and swap: read from /proc text (given here as fake text), refused for a
// production ceremony when core dumps are on, warned about in a dry run.
import t from 'tap';
import { checkProcessHygiene, parseCoreLimit, parseSwaps, readProcessFacts, type ProcessFacts } from '../../src/ceremony/process-hygiene.js';
import { InputError } from '../../src/errors.js';
import { caught } from '../helpers/errors.js';

const limits = (core: string) => `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max core file size        ${core}            bytes     
Max resident set          unlimited            unlimited            bytes     
`;
const SWAPS =
  'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sda2                               partition\t8388604\t\t1024\t\t-2\n/swapfile                               file\t\t1048572\t\t0\t\t-3\n';

t.test('the /proc texts', async (t) => {
  t.same(parseCoreLimit(limits('0                    unlimited          ')), { soft: 0, hard: 'unlimited' });
  t.same(parseCoreLimit(limits('unlimited            unlimited          ')), { soft: 'unlimited', hard: 'unlimited' });
  t.same(parseCoreLimit(limits('4096                 8192               ')), { soft: 4096, hard: 8192 });
  t.equal(parseCoreLimit('Max cpu time unlimited unlimited seconds\n'), undefined, 'no core line');
  t.equal(parseCoreLimit(limits('lots                 unlimited          ')), undefined, 'not a number');
  t.same(parseSwaps(SWAPS), { areas: 2, usedKiB: 1024 });
  t.same(parseSwaps('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'), { areas: 0, usedKiB: 0 });
  const files: Record<string, string> = {
    '/proc/self/limits': limits('0                    0                  '),
    '/proc/sys/kernel/core_pattern': '|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n',
    '/proc/sys/kernel/yama/ptrace_scope': '1\n',
    '/proc/swaps': SWAPS,
  };
  t.same(
    readProcessFacts((path: string) => files[path]),
    {
      coreLimit: { soft: 0, hard: 0 },
      corePattern: '|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h',
      ptraceScope: 1,
      swap: { areas: 2, usedKiB: 1024 },
    },
  );
  t.same(
    readProcessFacts(() => undefined),
    { coreLimit: undefined, corePattern: undefined, ptraceScope: undefined, swap: undefined },
    'nothing readable: nothing claimed',
  );
  t.match(readProcessFacts(), { coreLimit: { soft: /./, hard: /./ } }, 'this machine');
});

t.test('production: refused unless core dumps are off; a dry run is warned', async (t) => {
  const facts = (soft: number | 'unlimited', more: Partial<ProcessFacts> = {}): ProcessFacts => ({
    coreLimit: { soft, hard: soft === 0 ? 0 : 'unlimited' },
    corePattern: 'core',
    ptraceScope: 1,
    swap: { areas: 0, usedKiB: 0 },
    ...more,
  });
  t.same(checkProcessHygiene(facts(0), false), [], 'core dumps off: a production ceremony may start');
  const raisable = await caught(() => checkProcessHygiene({ ...facts(0), coreLimit: { soft: 0, hard: 'unlimited' } }, false));
  t.equal(
    raisable.message,
    "core dumps can be turned on while the ceremony runs (the soft limit is 0, but the hard limit, ulimit -H -c, is unlimited): a crash would write the PINs and shares in this process's memory to disk",
    'a soft limit of 0 alone can be raised again',
  );
  const refused = await caught(() => checkProcessHygiene(facts('unlimited'), false));
  t.type(refused, InputError);
  t.equal(refused.message, "core dumps are on (ulimit -c is unlimited): a crash would write the PINs and shares in this process's memory to disk");
  t.equal(refused.hint, 'run `ulimit -c 0` in this shell first (core dumps off: it sets both the soft and the hard limit), then start keyceremony again');
  const unreadable = await caught(() => checkProcessHygiene({ ...facts(0), coreLimit: undefined }, false));
  t.match(unreadable.message, 'the core dump limit cannot be read from /proc/self/limits', 'what cannot be checked is not assumed safe');
  t.same(checkProcessHygiene(facts(1024), true), [
    'core dumps are on (ulimit -c is 1024): a crash of this dry run would write its PINs and shares to disk; run `ulimit -c 0` in this shell first (core dumps off: it sets both the soft and the hard limit) before a real ceremony',
  ]);
  t.same(checkProcessHygiene(facts(0, { corePattern: '|/usr/share/apport/apport -p%p', swap: { areas: 1, usedKiB: 2048 } }), false), [
    'core dumps are piped to /usr/share/apport/apport, which decides on its own whether to keep them',
    '2048 KiB of swap is in use: memory holding secrets may be written to it; the ceremony terminal should have no swap',
  ]);
});
