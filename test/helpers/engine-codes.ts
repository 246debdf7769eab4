// Every code the engine can give a refusal or failure, read from the source (issue 16 item 11):
// a test compares it with the codes the zh-TW catalogue words, so a new code without Chinese
// fails there and the list cannot go stale.
//
// A code is written in a "code position": the value of a `code` property of an object
// (`{ code: 'share.checksum' }`, `{ code }`, `` { code: `x509.csr.${code}` } ``), or an
// argument given to a parameter that reaches a code position (`refusal(step, 'values.pattern',
// …)`, `new ShareError('checksum', …)`, `csrError(message, 'key', …)`). The value is worked out
// from its syntax (literals, templates, `a ? 'x' : 'y'`) and, for anything else, from its type
// when that is a union of string literals (ShareError's ShareProblem). A value the source only
// passes along (`code: error.code`) adds nothing: the code it carries is found where it is made.
// The HSM's return values (CKR_*) come from the PKCS#11 module at run time, not from the source:
// they are listed by src/hsm/hsm-error.ts's CKR_EXPLANATIONS and said by a catch-all besides.
import ts from 'typescript';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';

/**
 * What a code looks like: dotted words (`share.checksum`, `x509.csr.key`, `HSM-profile.invalid`),
 * or a PKCS#11 return value. Other `code` properties are not refusals: zod's issue kind
 * `custom`, the report's column label.
 */
const CODE_SHAPE = /^(?:[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+|CKR_[A-Z_]+)$/;

/** A code known up to the value of one parameter: what the code is made of that value (and a key, to follow each once). */
interface Wrap {
  key: string;
  apply: (value: string) => string;
}

const bare: Wrap = { key: '', apply: (value) => value };
const around = (prefix: string, inner: Wrap, suffix: string): Wrap => ({
  key: `${prefix}(${inner.key})${suffix}`,
  apply: (value) => `${prefix}${inner.apply(value)}${suffix}`,
});
const within = (outer: Wrap, inner: Wrap): Wrap => ({ key: `${outer.key}<${inner.key}>`, apply: (value) => outer.apply(inner.apply(value)) });

type FunctionNode = ts.FunctionLikeDeclaration;

/** The values an expression can take; `param` when it is (wrapped) a parameter of the function around it. */
interface Values {
  strings: string[];
  params: Array<{ fn: FunctionNode; index: number; path: string[]; wrap: Wrap }>;
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** The codes found in `src` under `root` (the repository), sorted. */
export function engineCodes(root: string): string[] {
  const files = sourceFiles(join(root, 'src'));
  // Only src/ itself: every file of it is a root, so the calls between them resolve, and the
  // types the reading needs (unions of string literals) are written in src/. Without the
  // standard library, @types/node and the packages' declarations the program is made in about
  // 2 s of CPU instead of 10, and finds the same codes (checked when this was changed).
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    noLib: true,
    types: [],
    noResolve: true,
  });
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  // Per function and parameter index, the wraps already followed to its callers.
  const followed = new Map<FunctionNode, Set<string>>();
  const pending: Array<{ fn: FunctionNode; index: number; path: string[]; wrap: Wrap }> = [];

  const literalsOfType = (node: ts.Node): string[] => {
    const type = checker.getTypeAtLocation(node);
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((part) => part.isStringLiteral()) ? parts.map((part) => part.value) : [];
  };

  const valuesOf = (expr: ts.Expression): Values => {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return valuesOf(expr.expression);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { strings: [expr.text], params: [] };
    if (ts.isConditionalExpression(expr)) return both(valuesOf(expr.whenTrue), valuesOf(expr.whenFalse));
    if (
      ts.isBinaryExpression(expr) &&
      (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return both(valuesOf(expr.left), valuesOf(expr.right));
    if (ts.isTemplateExpression(expr)) return templateValues(expr);
    if (ts.isCallExpression(expr)) {
      const values = replaced(expr);
      if (values) return values;
    }
    // A parameter, or a property of one (`options.kind`): its values are the arguments the callers give.
    const path: string[] = [];
    let base: ts.Expression = expr;
    while (ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.name)) {
      path.unshift(base.name.text);
      base = base.expression;
    }
    if (ts.isIdentifier(base)) {
      const parameter = parameterOf(base);
      if (parameter) return { strings: [], params: [{ ...parameter, path, wrap: bare }] };
    }
    return { strings: literalsOfType(expr), params: [] };
  };

  const both = (a: Values, b: Values): Values => ({ strings: [...a.strings, ...b.strings], params: [...a.params, ...b.params] });

  /** `prefix${x}suffix`: every value of x between the literal parts (one open parameter, with literal parts around it). */
  const templateValues = (expr: ts.TemplateExpression): Values => {
    let heads: Values = { strings: [expr.head.text], params: [] };
    for (const span of expr.templateSpans) {
      const inner = valuesOf(span.expression);
      const tail = span.literal.text;
      const strings = heads.strings.flatMap((head) => inner.strings.map((value) => `${head}${value}${tail}`));
      const openBefore = inner.strings.length === 1 ? heads.params.map((p) => ({ ...p, wrap: around('', p.wrap, `${inner.strings[0]}${tail}`) })) : [];
      const openHere =
        heads.strings.length === 1 && heads.params.length === 0 ? inner.params.map((p) => ({ ...p, wrap: around(heads.strings[0]!, p.wrap, tail) })) : [];
      heads = { strings, params: [...openBefore, ...openHere] };
    }
    return heads;
  };

  /** `x.replace(/\s+/g, '-')` as the code is made of a kind (`hsm profile` → `hsm-profile.invalid`). */
  const replaced = (expr: ts.CallExpression): Values | undefined => {
    const callee = expr.expression;
    const [pattern, replacement] = expr.arguments;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'replace' || !pattern || !replacement) return undefined;
    if (!ts.isRegularExpressionLiteral(pattern) || !ts.isStringLiteral(replacement)) return undefined;
    const match = /^\/(.*)\/([a-z]*)$/.exec(pattern.text)!;
    const regex = new RegExp(match[1]!, match[2]);
    const apply = (value: string) => value.replace(regex, replacement.text);
    const inner = valuesOf(callee.expression);
    const step: Wrap = { key: `replace${pattern.text}${replacement.text}`, apply };
    return { strings: inner.strings.map(apply), params: inner.params.map((p) => ({ ...p, wrap: within(step, p.wrap) })) };
  };

  /** The function and index of the parameter an identifier names, if it names one. */
  const parameterOf = (id: ts.Identifier): { fn: FunctionNode; index: number } | undefined => {
    const symbol = ts.isShorthandPropertyAssignment(id.parent) ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id);
    const declaration = symbol?.valueDeclaration;
    if (!declaration || !ts.isParameter(declaration)) return undefined;
    const fn = declaration.parent;
    if (!ts.isFunctionLike(fn)) return undefined;
    return { fn: fn as FunctionNode, index: fn.parameters.indexOf(declaration) };
  };

  const record = (values: Values, wrap: Wrap = bare, path: string[] = []) => {
    for (const value of values.strings) found.add(wrap.apply(value));
    for (const p of values.params) pending.push({ fn: p.fn, index: p.index, path: [...p.path, ...path], wrap: within(wrap, p.wrap) });
  };

  /** The expression at `path` inside an argument: a property of an object literal, or of the one a const holds. */
  const at = (expr: ts.Expression, path: string[]): ts.Expression | undefined => {
    if (path.length === 0) return expr;
    if (ts.isIdentifier(expr)) {
      const declaration = checker.getSymbolAtLocation(expr)?.valueDeclaration;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return at(declaration.initializer, path);
      if (declaration && ts.isParameter(declaration)) return expr;
      return undefined;
    }
    if (!ts.isObjectLiteralExpression(expr)) return undefined;
    for (const property of expr.properties) {
      if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== path[0]) continue;
      if (ts.isPropertyAssignment(property)) return at(property.initializer, path.slice(1));
      if (ts.isShorthandPropertyAssignment(property)) return at(property.name, path.slice(1));
    }
    return undefined;
  };

  /** The function a call or `new` reaches: a function, an arrow in a const, a method, a class's constructor. */
  const calledFunction = (call: ts.CallExpression | ts.NewExpression): FunctionNode | undefined => {
    let symbol = checker.getSymbolAtLocation(call.expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return undefined;
    if (ts.isClassDeclaration(declaration)) return declaration.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
    if (
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
    )
      return declaration.initializer;
    if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
    return undefined;
  };

  const calls: Array<ts.CallExpression | ts.NewExpression> = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !files.includes(file.fileName)) continue;
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'code' && ts.isObjectLiteralExpression(node.parent))
        record(valuesOf(node.initializer));
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'code') record(valuesOf(node.name));
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  let byFunction: Map<FunctionNode, Array<ts.CallExpression | ts.NewExpression>> | undefined;
  const callsOf = (fn: FunctionNode) => {
    if (!byFunction) {
      byFunction = new Map();
      for (const call of calls) {
        const called = calledFunction(call);
        if (called) byFunction.set(called, [...(byFunction.get(called) ?? []), call]);
      }
    }
    return byFunction.get(fn) ?? [];
  };

  // Follow each parameter that reaches a code position to the arguments its callers give it.
  while (pending.length > 0) {
    const { fn, index, path, wrap } = pending.pop()!;
    const key = `${index}.${path.join('.')}:${wrap.key}`;
    const seen = followed.get(fn) ?? new Set<string>();
    if (seen.has(key)) continue;
    seen.add(key);
    followed.set(fn, seen);
    for (const call of callsOf(fn)) {
      const given = call.arguments?.[index];
      const argument = given && at(given, path);
      // A parameter given on as a whole (`f(options)`) keeps the path still to follow.
      if (argument && ts.isIdentifier(argument) && argument === given && path.length > 0) record(valuesOf(argument), wrap, path);
      else if (argument) record(valuesOf(argument), wrap);
    }
  }
  return [...found].filter((code) => CODE_SHAPE.test(code)).sort();
}
