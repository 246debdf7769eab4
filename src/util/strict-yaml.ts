// Strict YAML input files (definitions, HSM profiles, answers, X.509 profiles).
// Every problem is reported as `<file>:<line>:<col>: <yaml path> <what is wrong>`, so a
// reviewer can go straight to the line. Unknown keys are errors: a misspelt key in a
// ceremony script must never be silently ignored.
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { readBounded, YAML_FILE_LIMIT } from './bounded-read.js';
import { decodeUtf8 } from './utf8.js';
import { errorCode } from './storage.js';

export type YamlPath = ReadonlyArray<string | number>;

/** How many alias expansions a document may make (the yaml library weighs nested ones). */
const MAX_ALIAS_COUNT = 100;

/**
 * The text of a YAML input file: a regular file of at most 1 MiB (a ceremony script is a
 * few KiB; anything larger is refused before parsing), strictly UTF-8.
 */
export function readYamlText(file: string, kind: string): string {
  let bytes: Buffer;
  try {
    bytes = readBounded(file, { what: `${kind} file`, maxBytes: YAML_FILE_LIMIT });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${kind} file ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'check the path',
      code: 'file.unreadable',
      details: { file, reason: errorCode(error) ?? 'error' },
    });
  }
  return decodeUtf8(bytes, file, kind);
}

/** `steps[3].key.bits` */
export function formatYamlPath(path: YamlPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(top level)' : out;
}

export interface YamlProblem {
  path: YamlPath;
  message: string;
}

/** A parsed YAML document that can tell where any path is in the source text. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string, kind: string): YamlSource {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: '1.2' });
    const first = document.errors[0];
    if (first) {
      const at = lines.linePos(first.pos[0]);
      throw new InputError(`${file}:${at.line}:${at.col}: not valid YAML: ${firstLine(first.message)}`, {
        hint: `fix the ${kind} file; YAML is indentation sensitive and keys must be unique`,
        code: 'yaml.syntax',
        details: { file, line: at.line },
      });
    }
    return new YamlSource(file, text, document, lines);
  }

  static read(file: string, kind: string): YamlSource {
    return YamlSource.parse(file, readYamlText(file, kind), kind);
  }

  toJS(): unknown {
    try {
      return this.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The yaml library throws a ReferenceError when aliases would expand a small file into
      // a huge value (a "billion laughs" bomb); that is bad input, not a bug.
      if (!(error instanceof ReferenceError)) throw error;
      throw new InputError(
        `${this.file}: not usable YAML: ${/excessive alias/i.test(error.message) ? `its aliases (*name) expand too far (more than ${MAX_ALIAS_COUNT} copies)` : firstLine(error.message)}`,
        {
          hint: 'write the values out instead of repeating them through anchors and aliases',
          code: 'yaml.aliases',
          details: { file: this.file },
        },
      );
    }
  }

  /** `file:line:col` of the node at `path`, or of its nearest existing parent. */
  locate(path: YamlPath, keyOf?: string): string {
    let node: unknown = this.document.contents;
    let range: [number, number, number] | undefined = (node as Node | null)?.range ?? undefined;
    for (const part of [...path, ...(keyOf === undefined ? [] : [keyOf])]) {
      if (isMap(node)) {
        const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value ?? item.key) === String(part));
        if (!pair) break;
        const key = pair.key as Node | null;
        // For an unknown key point at the key itself, otherwise at the value.
        const target = part === keyOf ? key : ((pair.value as Node | null) ?? key);
        range = target?.range ?? range;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item) break;
        range = item.range ?? range;
        node = item;
      } else break;
    }
    const at = this.lines.linePos(range?.[0] ?? 0);
    return `${this.file}:${at.line}:${at.col}`;
  }

  /** Line number (1-based) of a path, for callers that want to cite it. */
  problem(problem: YamlPath | YamlProblem, message?: string): string {
    const { path, message: text } = Array.isArray(problem) ? { path: problem, message: message ?? '' } : (problem as YamlProblem);
    return `${this.locate(path)}: ${formatYamlPath(path)} ${text}`;
  }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/\.$/, '').replace(/^\w/, (c) => c.toLowerCase());
}

/** Turns zod issues into our wording, with the key or path they concern. */
function describeIssue(issue: z.core.$ZodIssue): YamlProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a known key' }));
    case 'invalid_type':
      // Issues carry their input (reportInput below): a missing key is "required", or what
      // the schema says about it when it says more ("is required: …").
      if (issue.input === undefined) return [{ path, message: issue.message.startsWith('is required') ? issue.message : 'is required' }];
      return [{ path, message: isDefaultMessage(issue.message) ? `must be ${article(issue.expected)}` : issue.message }];
    case 'invalid_key': {
      const inner = issue.issues[0];
      return [{ path, message: inner && !isDefaultMessage(inner.message) ? `is not a valid name: ${inner.message}` : 'is not a valid name' }];
    }
    case 'invalid_value':
      return [{ path, message: isDefaultMessage(issue.message) ? `must be ${orList(issue.values.map(String))}` : issue.message }];
    default:
      return [{ path, message: isDefaultMessage(issue.message) ? issue.message.toLowerCase() : issue.message }];
  }
}

function isDefaultMessage(message: string): boolean {
  return message.startsWith('Invalid input') || message.startsWith('Invalid option');
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function orList(values: string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

export interface StrictLoadOptions<T> {
  kind: string;
  schema: z.ZodType<T>;
  hint: string;
}

/**
 * Validates a YAML source against a zod schema. All problems are listed (first one in the
 * message head, the rest below), each with file:line:col and the YAML path.
 */
export function validateYaml<T>(source: YamlSource, options: StrictLoadOptions<T>): T {
  const result = schemaProblems(options.schema, source.toJS());
  if (result.ok) return result.value;
  throw problemsError(source, result.problems, options.kind, options.hint);
}

/** Validates a value without throwing; problem paths are relative to `prefix`. */
export function schemaProblems<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: YamlPath = [],
): { ok: true; value: T } | { ok: false; problems: YamlProblem[] } {
  // jitless: each schema here checks one file once per process. zod would otherwise compile
  // a parser for every object shape with new Function() on its first use, which costs more
  // than the one check it speeds up (a third of zod's time in `validate`, BENCHMARKS.md).
  const result = schema.safeParse(value, { reportInput: true, jitless: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.flatMap(describeIssue).map((p) => ({ path: [...prefix, ...p.path], message: p.message })) };
}

export function problemsError(source: YamlSource, problems: YamlProblem[], kind: string, hint: string): InputError {
  const lines = problems.map((p) => {
    const unknownKey = p.message === 'is not a known key';
    const where = unknownKey ? source.locate(p.path.slice(0, -1), String(p.path.at(-1))) : source.locate(p.path);
    return `${where}: ${formatYamlPath(p.path)} ${p.message}`;
  });
  const more = lines.length > 1 ? `\n  ${lines.slice(1).join('\n  ')}` : '';
  return new InputError(`${lines[0] ?? `${source.file}: invalid ${kind}`}${more}`, { hint, code: `${kind.replace(/\s+/g, '-')}.invalid` });
}

export function loadStrictYaml<T>(file: string, options: StrictLoadOptions<T>): { source: YamlSource; value: T } {
  const source = YamlSource.read(file, options.kind);
  return { source, value: validateYaml(source, options) };
}
