// The tool's version, from the installed package.json: one reader for `--version`, the
// plan's and report's footer and the journal header.
import { readFileSync } from 'node:fs';

export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
