import { hmacKey } from "./hmac-key.ts";
import { VerifiedTokens } from "./verified-tokens.ts";
import { verifyToken } from "./verify.ts";

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
   * The token's subject (the caller's user id).
   *
   * @throws InvalidTokenError for any problem with the token
   */
  async subject(token: string, now: number = Math.floor(Date.now() / 1000)): Promise<string> {
    const known = this.#verified.subject(token, now);
    if (known !== undefined) return known;
    const claims = await verifyToken(token, await this.#keys, now);
    this.#verified.remember(token, claims, now);
    return claims.sub;
  }
}
