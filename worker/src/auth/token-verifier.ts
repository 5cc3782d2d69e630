import { hmacKey } from "./hmac-key.ts";
import { VerifiedTokens } from "./verified-tokens.ts";
import { type VerifiedClaims, verifyToken } from "./verify.ts";

/**
 * Verifies API tokens against one set of secrets (current first), and remembers
 * the ones it accepted so that the next request with the same token skips the HMAC.
 */
export class TokenVerifier {
  readonly #keys: Promise<CryptoKey[]>;
  readonly #verified = new VerifiedTokens();

  constructor(secrets: readonly string[]) {
    this.#keys = Promise.all(secrets.map((secret) => hmacKey(secret, "verify")));
  }

  /**
   * The token's claims: its subject (the caller's user id) and shard, if it names one.
   *
   * @throws InvalidTokenError for any problem with the token
   */
  async claims(
    token: string,
    now: number = Math.floor(Date.now() / 1000),
  ): Promise<VerifiedClaims> {
    const known = this.#verified.claims(token, now);
    if (known !== undefined) return known;
    const claims = await verifyToken(token, await this.#keys, now);
    this.#verified.remember(token, claims, now);
    return claims;
  }

  /**
   * The token's subject (the caller's user id).
   *
   * @throws InvalidTokenError for any problem with the token
   */
  async subject(token: string, now: number = Math.floor(Date.now() / 1000)): Promise<string> {
    return (await this.claims(token, now)).sub;
  }
}
