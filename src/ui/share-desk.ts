// The only part of the UI that touches shares: it passes a typed share straight into the
// SecretStore (checked against the manifest), lends a new share to the handout screen, and
// compares a share typed back. It returns what happened in words, never the share, and the
// caller sends the machine the secret-free event (share.accepted / share.refused /
// share.confirmed), exactly as the answers driver does.
import { KeyceremonyError } from '../errors.js';
import type { Definition } from '../definition/definition.js';
import type { ShareHandouts } from '../ceremony/handouts.js';
import { manifestFor } from '../ceremony/manifests.js';
import { shareCollection } from '../ceremony/phase.js';
import { checkShareOffer } from '../ceremony/people-rules.js';
import type { HeaderRefusal } from './components/share-field.js';
import type { CeremonyContext, CeremonyEvent, Problem } from '../ceremony/types.js';
import { formatForPaper, type SecretStore, type ShareSetManifest } from '../quorum/index.js';
import { SET_ID_SYMBOLS } from '../quorum/envelope.js';
import { knownSets, setShownBy, type KnownSet } from './model/known-sets.js';

export interface ShareDeskDeps {
  definition: Definition;
  secrets: SecretStore;
  handouts: ShareHandouts;
  workdir: string;
}

export type Offer = { event: CeremonyEvent; problem?: undefined } | { event: CeremonyEvent | undefined; problem: Problem };

export class ShareDesk {
  constructor(private readonly deps: ShareDeskDeps) {}

  manifest(context: CeremonyContext, credential: string): ShareSetManifest {
    return manifestFor(this.deps.workdir, context, credential);
  }

  /**
   * A custodian's typed share for `step`. Accepted: the share is in the SecretStore and the
   * event says who and which index. Refused: nothing is kept, and the event (if any) records
   * the refusal in the journal without the share.
   */
  offer(context: CeremonyContext, step: string, credential: string, custodian: string, text: string): Offer {
    let manifest: ShareSetManifest;
    try {
      manifest = this.manifest(context, credential);
    } catch (error) {
      if (error instanceof KeyceremonyError)
        return { event: undefined, problem: { step, code: error.code, message: error.message, hint: error.hint, details: error.details } };
      throw error;
    }
    const index = manifest.shares.find((s) => s.custodian === custodian)?.index ?? 0;
    // The machine's own check first, so the store never holds a share the machine refuses.
    const early = checkShareOffer(this.deps.definition, context, step, credential, custodian, index);
    if (early) return { event: undefined, problem: early };
    try {
      const share = this.deps.secrets.addShare(shareCollection(step, credential), text, manifest, custodian);
      return { event: { type: 'share.accepted', step, custodian, index: share.index, setId: manifest.setId } };
    } catch (error) {
      if (!(error instanceof KeyceremonyError)) throw error;
      return {
        event: { type: 'share.refused', step, custodian, message: error.message, code: error.code, ...(error.details ? { details: error.details } : {}) },
        problem: { step, code: error.code, message: error.message, hint: error.hint, details: error.details },
      };
    }
  }

  /**
   * The one set this ceremony knows whose id is, or begins with, what a typed header shows
   * (known-sets.ts): the sets in use, those a rotation replaced, and the one the expected
   * manifest replaces. The screen names it and the journal records it from the same answer.
   */
  otherSet(context: CeremonyContext, credential: string, shown: string): KnownSet | undefined {
    return setShownBy(knownSets(context, { credential, replaces: this.manifest(context, credential).replaces }), shown);
  }

  /**
   * The journal's record of a share refused at its header group as it was typed (another
   * set, or another custodian's share number): who typed it and what the header said, never
   * the share (issue 16). The UI sends it once per refused entry.
   */
  refusedAtHeader(context: CeremonyContext, step: string, credential: string, custodian: string, refusal: HeaderRefusal): CeremonyEvent {
    const manifest = this.manifest(context, credential);
    const own = manifest.shares.find((s) => s.custodian === custodian)?.index;
    let what: string;
    let code: string;
    let details: Record<string, string | number>;
    if (refusal.kind === 'other-set') {
      // Group 1 alone refuses a share of another set: the journal says how much of its id was typed.
      const other = this.otherSet(context, credential, refusal.setId);
      const setId = other?.setId ?? refusal.setId;
      const whole = other !== undefined || refusal.setId.length === SET_ID_SYMBOLS;
      const replaced = other?.superseded ? ', which a rotation replaced' : '';
      code = other?.superseded ? 'share.superseded-set' : 'share.foreign-set';
      what = `is of share set ${whole ? setId : `beginning ${setId}`}${other === undefined ? '' : ` (${other.credential}${replaced})`}, not ${manifest.setId} (${credential})`;
      details = {
        ...(whole ? { setId } : { setIdStart: setId }),
        expectedSet: manifest.setId,
        ...(other === undefined ? {} : { otherCredential: other.credential }),
      };
    } else {
      const holder = manifest.shares.find((s) => s.index === refusal.index)?.custodian;
      code = holder === undefined ? 'share.index' : 'share.custodian';
      what = `is share ${refusal.index} of set ${manifest.setId}${holder === undefined ? '' : `, which ${holder} holds`}, not share ${own ?? '?'}`;
      details = {
        index: refusal.index,
        setId: manifest.setId,
        ...(holder === undefined ? {} : { holder }),
        ...(own === undefined ? {} : { expectedIndex: own }),
      };
    }
    return {
      type: 'share.refused',
      step,
      custodian,
      message: `the share typed for ${custodian} ${what}: refused at its header group, before its secret part`,
      code,
      details,
    };
  }

  /** The new share of `custodian`, as lines of five groups for writing down; only for the handout screen. */
  revealForPaper(step: string, credential: string, custodian: string): string[] {
    return this.deps.handouts.reveal(step, credential, custodian, (text) => formatForPaper(text).split('\n'));
  }

  typedBackMatches(step: string, credential: string, custodian: string, typed: string): boolean {
    return this.deps.handouts.matches(step, credential, custodian, typed);
  }
}
