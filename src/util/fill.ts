// Placeholders in message templates are `{name}`; a missing parameter is left visible rather
// than hidden. One function for every catalogue (the UI's, exit lines, journal verify's), so a
// command that only prints a line need not load the UI's catalogues to word it.
export type Params = Record<string, string | number>;

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
