// Control characters in text people type: C0 (U+0000–U+001F: backspace, escape, even a line
// break), DEL, C1 (U+0080–U+009F), and the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that make text show in another order than it is stored.
// Typed into a record value they would reach report.md and the terminal as they are:
// `ESC c` resets a terminal, a backspace hides what precedes it on paper. They are refused
// where values are typed, and shown escaped (`\u001b`) wherever one is printed anyway.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const CONTROLS = new RegExp(CONTROL.source, 'gu');
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** `U+001B` */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first control character in `text` and its position (1-based, in characters), if any. */
export function firstControlCharacter(text: string): { name: string; position: number } | undefined {
  const match = CONTROL.exec(text);
  if (!match) return undefined;
  return { name: codePointName(match[0]), position: [...text.slice(0, match.index)].length + 1 };
}

/**
 * Why a typed text is refused, or undefined: names the code point and where it is, never
 * the character itself (echoing an ESC would do what it was refused for).
 */
export function controlCharacterProblem(text: string): string | undefined {
  const found = firstControlCharacter(text);
  return found && `contains a control character (${found.name} at character ${found.position})`;
}

/** `text` with every control character written as `\u001b`; line breaks kept when asked. */
export function escapeControlCharacters(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/**
 * Every text in a parsed document (values and mapping keys, at any depth) that holds a
 * control character other than a line break, with its path: a definition's titles and
 * instructions reach the terminal and the report as they are, so a reviewer's approved
 * text must not be able to move the cursor or rewrite the screen.
 */
export function controlCharactersIn(value: unknown, path: ReadonlyArray<string | number> = []): Array<{ path: Array<string | number>; message: string }> {
  const found: Array<{ path: Array<string | number>; message: string }> = [];
  const visit = (node: unknown, at: Array<string | number>) => {
    if (typeof node === 'string') {
      const match = new RegExp(CONTROLS_BUT_NEWLINE.source, 'u').exec(node);
      if (match)
        found.push({
          path: at,
          message: `contains a control character (${codePointName(match[0])} at character ${[...node.slice(0, match.index)].length + 1})`,
        });
    } else if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...at, i]));
    else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        if (new RegExp(CONTROLS_BUT_NEWLINE.source, 'u').test(key))
          found.push({ path: at, message: `has a key that contains a control character (${escapeControlCharacters(key)})` });
        visit(item, [...at, key]);
      }
    }
  };
  visit(value, [...path]);
  return found;
}
