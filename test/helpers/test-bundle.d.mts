// Types of test-bundle.mjs (plain JavaScript, so that npm test's pretest runs it with node).
export const REPO: string;
export const ENTRIES: Readonly<Record<string, string>>;
export function testBundleKey(): string;
export function testBundle(): { top: string; bin: string; dist: string };
