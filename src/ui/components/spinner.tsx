import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { Tone } from './tone.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Shows that the HSM is still working, so nobody pulls a cable thinking it hangs. */
export function Spinner({ label }: { label: string }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 120);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text>
      <Tone kind="accent">{FRAMES[frame]}</Tone> {label}
    </Text>
  );
}
