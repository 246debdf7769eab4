// NO_COLOR (https://no-color.org): with it set, not one colour escape in any frame; without
// it, colour is used (for emphasis only: every mark also has a symbol or a word).
import t from 'tap';

// Force colour support before ink (and its chalk) load, so "no colour" is a choice of the UI
// and not an accident of the test's pipe.
process.env.FORCE_COLOR = '1';
const { renderUi } = await import('./helpers/render.js');
const { ShareField } = await import('../../src/ui/components/share-field.js');
const { Tone } = await import('../../src/ui/components/tone.js');
const { colorsWanted } = await import('../../src/ui/terminal.js');

const COLOUR = /\u001B\[(3\d|9\d|4\d|10\d|38;|48;)[0-9;]*m/;

t.test('NO_COLOR set to anything but empty turns colour off', async (t) => {
  t.equal(colorsWanted({}), true);
  t.equal(colorsWanted({ NO_COLOR: '' }), true);
  t.equal(colorsWanted({ NO_COLOR: '1' }), false);
  t.equal(colorsWanted({ NO_COLOR: 'true' }), false);
});

for (const colors of [true, false]) {
  t.test(`frames ${colors ? 'with' : 'without'} colour`, async (t) => {
    const ui = renderUi(
      <>
        <Tone kind="bad">refused</Tone>
        <ShareField label="share" onSubmit={() => undefined} />
      </>,
      { colors },
    );
    t.teardown(ui.unmount);
    await ui.type('ABCDE1234');
    const frames = ui.frames.join('\n');
    if (colors) t.match(frames, COLOUR, 'colour escapes when colour is wanted');
    else t.notMatch(frames, COLOUR, 'no colour escape at all under NO_COLOR');
    t.match(ui.frame().replace(/\u001B\[[0-9;]*m/g, ''), /•••••[✓✗] ••••/, 'the marks are symbols, readable without colour');
  });
}
