// New shares waiting to be handed to their custodians (init-token, split, rotate). They are
// kept in the SecretStore, shown to one custodian at a time, and checked when typed back.
// They never reach the machine: it only hears "custodian X confirmed their share".
import { sameShareText, type SecretStore } from '../quorum/index.js';

const key = (step: string, credential: string, custodian: string) => `handout:${step}:${credential}:${custodian}`;

export class ShareHandouts {
  constructor(private readonly secrets: SecretStore) {}

  put(step: string, credential: string, custodian: string, text: string): void {
    this.secrets.putSecret(key(step, credential, custodian), Buffer.from(text, 'utf8'));
  }

  has(step: string, credential: string, custodian: string): boolean {
    return this.secrets.hasSecret(key(step, credential, custodian));
  }

  /** Lends the share text to `show` (the screen, or a dry-run share file) and nothing else. */
  reveal<T>(step: string, credential: string, custodian: string, show: (text: string) => T): T {
    return this.secrets.withSecret(key(step, credential, custodian), (buffer) => show(buffer.toString('utf8')));
  }

  /** True when the custodian typed back exactly their share (spaces, dashes and case aside). */
  matches(step: string, credential: string, custodian: string, typed: string): boolean {
    return this.reveal(step, credential, custodian, (text) => sameShareText(text, typed));
  }

  /** After the token holds the new PIN the handed-out copies are wiped. */
  discard(step: string, credential: string, custodians: string[]): void {
    for (const custodian of custodians) if (this.has(step, credential, custodian)) this.secrets.deleteSecret(key(step, credential, custodian));
  }
}
