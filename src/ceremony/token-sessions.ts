// The HSM sessions of one ceremony run, by token name (as the definition names tokens).
// Logins live here, in the composition root, never in the machine: the machine only knows
// *that* a token is unlocked. A login does not survive the process.
import { KeyceremonyError } from '../errors.js';
import type { Hsm, HsmSession } from '../hsm/hsm.js';
import type { HsmProfile } from '../hsm/profile.js';
import type { Checkpoint } from './checkpoints.js';
import { asError } from '../util/storage.js';

export class TokenSessions {
  private readonly open = new Map<string, HsmSession>();

  constructor(
    private readonly hsm: Hsm,
    private readonly profile: HsmProfile,
    /** Signs a journal checkpoint before a logout on purpose (checkpoints.ts); none in tests that need none. */
    private readonly checkpoint?: Checkpoint,
  ) {}

  tokenRef(token: string): { label: string; serial?: string | undefined } {
    const ref = this.profile.tokens[token];
    if (!ref) {
      throw new KeyceremonyError(`the HSM profile ${this.profile.file} has no token "${token}"`, {
        code: 'profile.token-missing',
        details: { token },
        hint: `add tokens.${token} with its label to the profile`,
        exitCode: 2,
      });
    }
    return ref;
  }

  /** The session of a token, opened on first use (not logged in). */
  session(token: string): HsmSession {
    let session = this.open.get(token);
    if (!session) {
      const ref = this.tokenRef(token);
      session = this.hsm.openSession(ref.label, ref.serial);
      this.open.set(token, session);
    }
    return session;
  }

  /** A session that must already be logged in (the machine guarantees an unlock came first). */
  loggedIn(token: string): HsmSession {
    const session = this.open.get(token);
    if (!session?.loggedInAs) {
      throw new KeyceremonyError(`token "${token}" is not unlocked in this process`, {
        code: 'hsm.not-unlocked',
        hint: 'the quorum must unlock the token again (after a restart, `resume` asks for the shares)',
      });
    }
    return session;
  }

  /** Logs out and closes one token's session. */
  close(token: string): void {
    const session = this.open.get(token);
    if (!session) return;
    this.open.delete(token);
    try {
      if (session.loggedInAs) session.logout();
    } finally {
      session.close();
    }
  }

  /**
   * Logs out on purpose (lock, the end of a step that logged in, an orderly stop): first the
   * token signs a journal checkpoint, when it is logged in as the user and holds the audit
   * key. The session is closed even when the checkpoint fails; that failure is then thrown.
   */
  async lock(token: string, step: string | null): Promise<void> {
    try {
      await this.checkpoint?.(token, this.open.get(token), step);
    } finally {
      this.close(token);
    }
  }

  /** lock() for every open session, in turn; errors are collected, never stop the others. */
  async lockAll(step: string | null): Promise<Error[]> {
    const errors: Error[] = [];
    for (const token of [...this.open.keys()]) {
      try {
        await this.lock(token, step);
      } catch (error) {
        errors.push(asError(error));
      }
    }
    return errors;
  }

  /** Logs out of and closes every session; errors are collected, never stop the others. */
  closeAll(): Error[] {
    const errors: Error[] = [];
    for (const token of [...this.open.keys()]) {
      try {
        this.close(token);
      } catch (error) {
        errors.push(asError(error));
      }
    }
    return errors;
  }

  get tokens(): string[] {
    return [...this.open.keys()];
  }
}
