import type { VerifiedClaims } from "./verify.ts";

/** How many verified tokens one isolate keeps; the oldest goes first. */
export const MAX_VERIFIED_TOKENS = 1_000;

type Entry = VerifiedClaims;

/**
 * Tokens an isolate has already verified, keyed by the whole token string, each kept
 * only while the time rules would still accept it (`validFrom` ≤ now < `exp`).
 * Only successes go in: a refused token is checked again on every request. One
 * instance belongs to one pair of secrets, so a change of secrets starts empty.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, Entry>();
  readonly capacity: number;

  constructor(capacity: number = MAX_VERIFIED_TOKENS) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The token's claims when it was verified before and is still within its time window.
   * The key is the whole token, so its `shard` is the one that was verified with it.
   */
  claims(token: string, now: number): VerifiedClaims | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.exp) {
      this.#entries.delete(token);
      return undefined;
    }
    return now >= entry.validFrom ? entry : undefined;
  }

  /** Keeps a token that just passed verification, unless it is outside its time window. */
  remember(token: string, claims: VerifiedClaims, now: number): void {
    if (now < claims.validFrom || now >= claims.exp) return;
    if (!this.#entries.has(token) && this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, claims);
  }
}
