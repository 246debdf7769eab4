// Issue 15 item 3: the compiler is typed through xstate's setup(), so tsc checks the state
// config (targets, event names) instead of being told to trust it. Type assertions are where
// it stops checking, so they are counted, with the TypeScript parser (a regex would count
// `import { x as y }` and miss `<T>expr`): every `expr as T` and `<T>expr`, except `as const`,
// which asserts nothing the compiler cannot see. Import and export aliases are not
// expressions and are not counted. The budgets may only go down.
import t from 'tap';
import ts from 'typescript';
import { sourceFiles, type SourceFile } from './helpers/source-graph.js';

/** src/ceremony had about 95 assertions when issue 15 was filed, 77 when this test was written (src 267), 41 once the compiler was typed (src 231).
 * The ledger anchor and the cumulative-CRL rules brought src to 242. Then thrown values were
 * read through errorCode/errorMessage/asError/isSystemError (util/storage.ts), untrusted JSON
 * through zod schemas (share-set records, the workdir lock) or fieldAt (util/field-at.ts):
 * src/ceremony 11 (88% fewer than at filing), src 190. What is left in src/ceremony: xstate's
 * `types: {} as …` idiom, the actor map, three where a journal schema's type is wider than the
 * engine's (header, saved state, step results: they narrow when the journal schemas are strict). */
const CEREMONY_BUDGET = 11;
const SRC_BUDGET = 190;

export interface Assertion {
  line: number;
  text: string;
}

/** The type assertions in one parsed file: `as T` and `<T>expr`, not `as const`. */
export function assertionsIn(node: ts.SourceFile): Assertion[] {
  const found: Assertion[] = [];
  const visit = (n: ts.Node): void => {
    const counted = (ts.isAsExpression(n) && !ts.isConstTypeReference(n.type)) || ts.isTypeAssertionExpression(n);
    if (counted) found.push({ line: node.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.getText().replace(/\s+/g, ' ').slice(0, 100) });
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function count(files: SourceFile[]): number {
  return files.reduce((sum, f) => sum + assertionsIn(f.node).length, 0);
}

t.test('type assertions in src/ceremony and src stay within their budgets', async (t) => {
  const files = sourceFiles();
  const ceremony = files.filter((f) => f.path.startsWith('src/ceremony/'));
  t.ok(ceremony.length >= 20, `${ceremony.length} files in src/ceremony scanned`);
  const inCeremony = count(ceremony);
  const inSrc = count(files);
  const perFile = ceremony
    .map((f) => [f.path, assertionsIn(f.node).length] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  t.comment(`type assertions: src/ceremony ${inCeremony}, src ${inSrc}`);
  for (const [path, n] of perFile) t.comment(`  ${path}: ${n}`);
  t.ok(inCeremony <= CEREMONY_BUDGET, `src/ceremony has ${inCeremony} type assertions, at most ${CEREMONY_BUDGET}`);
  t.ok(inSrc <= SRC_BUDGET, `src has ${inSrc} type assertions, at most ${SRC_BUDGET}`);
});

t.test('the count sees `as T` and `<T>expr`, and lets `as const` and import aliases through', async (t) => {
  const sample = [
    "import { a as b } from './x.js';",
    'export { b as c };',
    'const x = y as unknown as string;',
    'const z = <number>w;',
    "const k = ['a'] as const;",
    'const s = { a: 1 } satisfies object;',
  ].join('\n');
  const node = ts.createSourceFile('sample.ts', sample, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = assertionsIn(node);
  t.same(
    found.map((a) => a.line),
    [3, 3, 4],
    'two on line 3 (a double cast is two), one on line 4',
  );
});
