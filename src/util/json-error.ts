// Why JSON.parse refused a text, without the text: Node's messages quote a piece of the input
// (`Unexpected token 's', "set: 0S9F…" is not valid JSON`), and the input may be a file
// someone picked by mistake — a share file, for one. Messages name files, never quote them.
export function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/,\s*"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, '').split('\n')[0]!;
  return reason.replace(/^\w/, (c) => c.toLowerCase());
}
