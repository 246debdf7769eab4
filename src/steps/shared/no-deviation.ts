// What a witness writes at a deviations step when nothing else went off the script: "none"
// or its equivalents, and the statement the screen records for a typed "none" when deviations
// are already on record ("none besides the 6 on record (#27, #34)", 「除日誌所列 2 項（#27、#34）外無」,
// src/ui/i18n exception.noneBeyond). That statement is what it says, no further exception: it
// is recorded as written and counted with nothing (issue 16 item 2: it was counted and read
// aloud as an exception, and the sign-off, closing and letter disagreed by one).
const NOTHING = /^(none|nothing|no|n\/a|nil|無|无|沒有|没有|無其他|没有其他)[.。]?$/i;
const NOTHING_BESIDES = [/^none besides the \d+ on record \([^)]*\)$/i, /^除日誌所列\s*\d+\s*項（[^）]*）外無$/];

/** Whether the text a witness wrote at a deviations step says there was nothing (else). */
export function saysNoDeviation(text: string): boolean {
  const written = text.trim();
  return written === '' || NOTHING.test(written) || NOTHING_BESIDES.some((pattern) => pattern.test(written));
}

/** Whether the text is a bare "none" (or an equivalent): documents say it in their own words. */
export function saysNone(text: string): boolean {
  return NOTHING.test(text.trim());
}
