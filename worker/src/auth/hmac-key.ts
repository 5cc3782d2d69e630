/**
 * The HS256 key for a secret, as a raw HMAC-SHA-256 `CryptoKey`. Handing `hono/jwt` a
 * CryptoKey rather than the string also keeps it from reading a secret that happens to
 * contain "PUBLIC" or "PRIVATE" as a PEM key.
 */
export const hmacKey = (secret: string, usage: "sign" | "verify"): Promise<CryptoKey> =>
  crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
