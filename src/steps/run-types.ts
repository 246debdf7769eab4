// The effects face of a step type (DESIGN principle 9): the actors that do its work in the
// HSM and the outputs folder. Only src/ceremony imports run.ts files (through
// run-registry.ts); the machine names these actors and the composition root provides them.
import type { Definition, Step } from '../definition/definition.js';
import type { Hsm } from '../hsm/hsm.js';
import type { HsmProfile } from '../hsm/profile.js';
import type { SecretStore } from '../quorum/index.js';
import type { ShareHandouts } from '../ceremony/handouts.js';
import type { OutputStore } from '../ceremony/outputs.js';
import type { TokenSessions } from '../ceremony/token-sessions.js';
import type { HsmFinding, ReconcileOptions } from '../ceremony/reconcile.js';
import type { CeremonyContext, Distribution, StepResult } from '../ceremony/types.js';
import type { ActorName } from './actors.js';
import type { StepType } from './index.js';
import type { ShareSetEffects } from './shared/share-sets-run.js';

/** What the ceremony gives the effects: the HSM, the secrets, the outputs folder, the clock. */
export interface CeremonyDeps {
  definition: Definition;
  profile: HsmProfile;
  hsm: Hsm;
  sessions: TokenSessions;
  secrets: SecretStore;
  handouts: ShareHandouts;
  outputs: OutputStore;
  workdir: string;
  clock: () => Date;
  /**
   * New certificate serials of n bytes; the CSPRNG (x509 randomSerial) unless the composition
   * root gives a source (a test's, to make a serial repeat as a broken generator would).
   */
  serialSource?: ((bytes: number) => Buffer) | undefined;
  /**
   * The hash of this ceremony's journal record 1: which ceremony wrote a ledger anchor
   * (ledger-anchor-run.ts), so that only the same ceremony resumes past it. Empty in tests
   * that run effects without a journal.
   */
  journalOpened?: string | undefined;
  /**
   * The SHA-256 of each X.509 profile copy (profiles/<name>.yaml) as the journal's first
   * record keeps it: a certificate step signs only with the copy the ceremony started with.
   * Undefined in tests that run effects without a journal.
   */
  recordedProfiles?: Record<string, { sha256: string }> | undefined;
}

/** The dependencies of one ceremony's effects, with the share sets being handed out. */
export interface RunDeps extends CeremonyDeps {
  shareSets: ShareSetEffects;
}

/** Input every step actor receives: the step and the (secret-free) context. */
export interface StepActorInput<S extends Step = Step> {
  step: S;
  context: CeremonyContext;
  /** For a login: which credential (the step's own, or the one to log in again with). */
  credential?: string | undefined;
  /** For splitting: the credentials to split. */
  credentials?: string[];
}

/** One effect: gets the step and the context, returns what the journal records (O). */
export type StepEffect<S extends Step = Step, O = unknown> = (input: StepActorInput<S>) => Promise<O>;

/** Facts a step's prepare effect gathers before approval, for the screen (context.prepared). */
export type Prepared = NonNullable<CeremonyContext['prepared']>;

/** What each effect resolves to, by the name the machine invokes it under: the machine reads it typed. */
export type ActorOutputs = { relogin: StepResult; prepareShareSets: Distribution } & { [N in `prepare:${StepType}`]: Prepared } & {
  [N in `work:${StepType}`]: StepResult;
};

/** Every effect of a ceremony, by actor name, each with its output type. */
export type StepEffects = { [N in ActorName]: StepEffect<Step, ActorOutputs[N]> };

/** A step type's effects, made once per ceremony from its dependencies. */
export interface StepRun<S extends Step> {
  /** Runs before approval (the spec says `prepares`): facts the screen shows. */
  prepare?: (deps: RunDeps) => StepEffect<S, Prepared>;
  /** Does the step (the spec says `works`); its output is the StepResult the journal records. */
  work?: (deps: RunDeps) => StepEffect<S, StepResult>;
  /**
   * On resume, what an interrupted step of this type may have left on the token that the
   * journal does not know (its outputs are checked for every type, from the spec's `produces`).
   */
  reconcile?: (step: S, options: ReconcileOptions) => HsmFinding[];
}
