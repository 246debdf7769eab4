// The import graph of src/, read with the TypeScript compiler's parser (already a
// dependency; no second tool to keep in step with the language). Type-only imports are
// kept apart: they vanish at run time and cannot make a load-order cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const SRC = join(ROOT, 'src');

export interface SourceImport {
  /** The module as written. */
  specifier: string;
  /** The imported file, relative to the repository (src/...ts), for a relative import. */
  target: string | undefined;
  typeOnly: boolean;
  dynamic: boolean;
}

export interface SourceFile {
  path: string;
  text: string;
  node: ts.SourceFile;
  imports: SourceImport[];
}

function filesUnder(dir: string, pattern = /\.tsx?$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, pattern);
    return pattern.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveTarget(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return relative(ROOT, candidate);
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

function importsOf(path: string, node: ts.SourceFile): SourceImport[] {
  const found: SourceImport[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => found.push({ specifier, target: resolveTarget(path, specifier), typeOnly, dynamic });
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const clause = n.importClause;
      const namedAllTypes =
        clause?.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.namedBindings.elements.length > 0 &&
        clause.namedBindings.elements.every((e) => e.isTypeOnly) &&
        clause.name === undefined;
      add(n.moduleSpecifier.text, clause?.isTypeOnly === true || namedAllTypes, false);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const namedAllTypes =
        n.exportClause !== undefined &&
        ts.isNamedExports(n.exportClause) &&
        n.exportClause.elements.length > 0 &&
        n.exportClause.elements.every((e) => e.isTypeOnly);
      add(n.moduleSpecifier.text, n.isTypeOnly || namedAllTypes, false);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      add(n.arguments[0].text, false, true);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text, true, false);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
};

function parse(file: string): SourceFile {
  const text = readFileSync(file, 'utf8');
  const node = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, SCRIPT_KINDS[file.split('.').pop()!]);
  return { path: relative(ROOT, file), text, node, imports: importsOf(file, node) };
}

let cache: SourceFile[] | undefined;

/** Every TypeScript source file under src/, parsed once per test process. */
export function sourceFiles(): SourceFile[] {
  cache ??= filesUnder(SRC).map(parse);
  return cache;
}

/** Every TypeScript and JavaScript file under a folder of the repository (test/, scripts/), node_modules left out. */
export function codeFilesUnder(folder: string): SourceFile[] {
  return filesUnder(join(ROOT, folder), /\.(tsx?|[cm]?js)$/).map(parse);
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`); undefined for a relative path or a `node:` builtin. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The cycles among run-time (not type-only) imports, each as the list of files around it. */
export function importCycles(options: { dynamic: boolean }): string[][] {
  const files = sourceFiles();
  const edges = new Map(files.map((f) => [f.path, f.imports.filter((i) => !i.typeOnly && (options.dynamic || !i.dynamic) && i.target).map((i) => i.target!)]));
  // Tarjan's strongly connected components: every component of more than one file is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f.path)) connect(f.path);
  return cycles;
}
