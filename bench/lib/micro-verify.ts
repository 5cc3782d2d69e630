import { mintToken } from "@todo/worker/token";
import { hmacKey, verifyToken } from "@todo/worker/verify";
import { TokenVerifier } from "../../worker/src/auth/token-verifier.ts";
import { MAX_VERIFIED_TOKENS } from "../../worker/src/auth/verified-tokens.ts";

export type MicroResult = {
  name: string;
  microsPerOp: number;
  opsPerSec: number;
  iterations: number;
};

const ITERATIONS = 20_000;
const MAX_MS = 3_000;

async function time(name: string, operation: () => Promise<unknown>): Promise<MicroResult> {
  for (let i = 0; i < 2_000; i++) await operation(); // warm-up: JIT and key caches
  const started = performance.now();
  const deadline = started + MAX_MS;
  let iterations = 0;
  while (iterations < ITERATIONS && performance.now() < deadline) {
    await operation();
    iterations++;
  }
  const micros = ((performance.now() - started) * 1000) / iterations;
  return { name, microsPerOp: micros, opsPerSec: 1e6 / micros, iterations };
}

/** More distinct tokens than the API remembers, so that cycling through them never hits. */
const UNREMEMBERED_TOKENS = MAX_VERIFIED_TOKENS * 2;

/**
 * The project's token verification in Node (same WebCrypto API as workerd), next to
 * a no-op of the same async shape and to the bare HMAC-SHA256 check it cannot avoid;
 * then the API's own path (`TokenVerifier`): a token it has not seen (cold: verify and
 * remember) and one it verified before (cached).
 */
export async function microVerify(secret: string): Promise<MicroResult[]> {
  const { token } = await mintToken("bench-user-a", secret);
  const [header, payload, signature] = token.split(".") as [string, string, string];
  // Imported once, as the API does per isolate.
  const key = await hmacKey(secret, "verify");
  const signed = new TextEncoder().encode(`${header}.${payload}`);
  const mac = Buffer.from(signature, "base64url");
  const keys = [key];
  const unremembered = await Promise.all(
    Array.from(
      { length: UNREMEMBERED_TOKENS },
      async (_, i) => (await mintToken(`bench-user-${i}`, secret)).token,
    ),
  );
  const coldVerifier = new TokenVerifier([secret]);
  const cachedVerifier = new TokenVerifier([secret]);
  let next = 0;
  return [
    await time("no-op (baseline)", async () => token),
    await time("HMAC-SHA256 verify only, key cached", () =>
      crypto.subtle.verify("HMAC", key, mac, signed),
    ),
    await time("verifyToken (the API's auth), key cached", () => verifyToken(token, keys)),
    await time("API token check, cold (a token not seen before)", () =>
      coldVerifier.subject(unremembered[next++ % unremembered.length] ?? token),
    ),
    await time("API token check, cached (the same token again)", () =>
      cachedVerifier.subject(token),
    ),
  ];
}
