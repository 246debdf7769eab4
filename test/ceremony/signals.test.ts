// signalsHeard: a signal already delivered to the process is seen before the driver decides
// to go on (the SIGTERM-during-signature race CI hit in stop 25).
import t from 'tap';
import { signalsHeard } from '../../src/ceremony/signals.js';

t.test('a signal delivered in this same turn is not yet heard; signalsHeard waits for it', async (t) => {
  let heard: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => (heard = signal);
  process.on('SIGUSR2', onSignal);
  t.teardown(() => void process.off('SIGUSR2', onSignal));
  process.kill(process.pid, 'SIGUSR2');
  t.equal(heard, undefined, 'the handler has not run: Node hears signals only in the poll phase');
  t.equal(await signalsHeard(() => heard), true, 'after signalsHeard the stop is seen');
  t.equal(heard, 'SIGUSR2');
});

t.test('no signal: signalsHeard says so', async (t) => {
  t.equal(await signalsHeard(() => undefined), false);
});

t.test('a stop already known is answered at once', async (t) => {
  t.equal(await signalsHeard(() => 'state-not-saved'), true);
});
