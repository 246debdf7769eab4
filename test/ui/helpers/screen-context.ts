// A ScreenContext for rendering one screen: a fixture definition and a machine context as
// it would be at that step (participants signed in, keys known, facts prepared).
import { initialContext } from '../../../src/ceremony/compile.js';
import type { CeremonyContext, Participant } from '../../../src/ceremony/types.js';
import type { Definition, Step } from '../../../src/definition/definition.js';
import { loadDefinition } from '../../../src/definition/loader.js';
import { translator, type Lang } from '../../../src/ui/i18n/index.js';
import type { ScreenContext } from '../../../src/ui/model/screen-context.js';

export const FIXTURE = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
export const ENGINE_FIXTURE = new URL('../../fixtures/engine/all-steps.yaml', import.meta.url).pathname;

export const PEOPLE: Participant[] = [
  { id: 'alice', name: '王小明 Alice', roles: ['administrator'] },
  { id: 'wendy', name: '林美玲 Wendy', roles: ['witness'] },
  { id: 'walter', name: '陳志豪 Walter', roles: ['witness'] },
  { id: 'carol', name: '張淑芬 Carol', roles: ['custodian'] },
  { id: 'dave', name: '李建國 Dave', roles: ['custodian'] },
  { id: 'sam', name: '蔡依林 Sam', roles: ['subscriber'] },
];

const loaded = new Map<string, Definition>();

export function definitionOf(file: string): Definition {
  if (!loaded.has(file)) loaded.set(file, loadDefinition(file));
  return loaded.get(file)!;
}

export function screenContext(file: string, lang: Lang, patch: Partial<CeremonyContext> = {}): ScreenContext {
  const definition = definitionOf(file);
  const context: CeremonyContext = { ...initialContext(definition, { inputs: {}, shareSets: {} }), participants: PEOPLE, ...patch };
  return { definition, context, lang, t: translator(lang) };
}

export function stepOf(sc: ScreenContext, id: string): Step {
  const step = sc.definition.steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
}
