// What every component may read without props: the language, whether colour is wanted,
// and whether keyboard input currently belongs to it (an overlay form takes the keyboard
// from the step screen underneath, which stays mounted so nothing typed there is lost).
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { translator, type Lang, type Translate } from './i18n/index.js';
import { KeyboardProvider } from './keyboard.js';

interface TextContext {
  lang: Lang;
  t: Translate;
}

const Text = createContext<TextContext>({ lang: 'en', t: translator('en') });
const Colors = createContext<boolean>(true);
const InputActive = createContext<boolean>(true);

export function UiProviders({ lang, colors, children }: { lang: Lang; colors: boolean; children: ReactNode }) {
  const text = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  return (
    <Text.Provider value={text}>
      <Colors.Provider value={colors}>
        <KeyboardProvider>{children}</KeyboardProvider>
      </Colors.Provider>
    </Text.Provider>
  );
}

/** Gives (or takes away) the keyboard from everything inside. */
export function InputScope({ active, children }: { active: boolean; children: ReactNode }) {
  const outer = useContext(InputActive);
  return <InputActive.Provider value={outer && active}>{children}</InputActive.Provider>;
}

export const useText = (): TextContext => useContext(Text);
export const useColors = (): boolean => useContext(Colors);
export const useInputActive = (): boolean => useContext(InputActive);
