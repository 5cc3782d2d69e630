/** The fixed label that sets this key apart from every other use of BETTER_AUTH_SECRET. */
const LABEL = "todo-site account key v1";

const keys = new Map<string, Promise<CryptoKey>>();

/** An HMAC key derived from the auth secret with HKDF (SHA-256), once per isolate. */
function accountHmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(secret),
        "HKDF",
        false,
        ["deriveKey"],
      );
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(0),
          info: new TextEncoder().encode(LABEL),
        },
        material,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    keys.set(secret, key);
  }
  return key;
}

/**
 * What an account is counted by in the rate-limit table: an HMAC of the
 * lower-cased, trimmed email address, so the address itself is never stored and
 * a copy of the table does not tell which addresses were tried (unlike a plain
 * hash, which anyone can compute for a guessed address).
 */
export async function accountKey(secret: string, email: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await accountHmacKey(secret),
    new TextEncoder().encode(email.trim().toLowerCase()),
  );
  return Buffer.from(mac).toString("base64url");
}
