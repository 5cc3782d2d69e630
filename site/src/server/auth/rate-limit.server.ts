import ipaddr from "ipaddr.js";

/** The attempts that are limited, each counted on its own. */
export type AuthAttempt = "sign-in" | "sign-up" | "forgot-password" | "reset-password";

export type RateLimit = {
  /** Attempts allowed per client within one window. */
  max: number;
  windowSeconds: number;
};

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * What a client is counted by: an IPv4 address itself, an IPv6 address by its
 * /64 prefix (one subscriber's network: rotating through it must not buy more
 * attempts), an IPv4-mapped IPv6 address as the IPv4 address. Locally the
 * `cf-connecting-ip` header may be absent; then, as for anything that is not an
 * address, every client shares the bucket `unknown`, which is only stricter.
 */
export function rateLimitAddress(header: string | null): string {
  const text = header?.trim() ?? "";
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (!ipaddr.IPv6.isValid(text)) return "unknown";
  const address = ipaddr.IPv6.parse(text);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  const prefix = address.parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(":")}::/64`;
}

/**
 * Counts one attempt for `key` in a sliding window stored in D1, so the limit
 * holds across isolates: at most `limit.max` attempts in any `windowSeconds`.
 * A refused attempt is not counted. One batch, which D1 runs as a transaction.
 *
 * @param db - the auth database (table `auth_rate_limit`, migrations/auth/)
 * @param key - what is limited, e.g. `sign-in:203.0.113.7`
 * @param now - milliseconds since the epoch (for tests)
 */
export async function hitRateLimit(
  db: D1Database,
  key: string,
  limit: RateLimit,
  now: number = Date.now(),
): Promise<RateLimitResult> {
  const windowMs = limit.windowSeconds * 1000;
  const [, inserted, oldest] = await db.batch([
    db.prepare("DELETE FROM auth_rate_limit WHERE at <= ?1").bind(now - windowMs),
    db
      .prepare(
        `INSERT INTO auth_rate_limit (key, at)
         SELECT ?1, ?2 WHERE (SELECT count(*) FROM auth_rate_limit WHERE key = ?1) < ?3`,
      )
      .bind(key, now, limit.max),
    db.prepare("SELECT min(at) AS at FROM auth_rate_limit WHERE key = ?1").bind(key),
  ]);
  if (inserted?.meta.changes === 1) return { allowed: true };
  const first = (oldest?.results[0] as { at: number | null } | undefined)?.at ?? now;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((first + windowMs - now) / 1000)),
  };
}

/** Counts a sign-in or sign-up attempt from this request's client. */
export function limitAuthAttempt(
  db: D1Database,
  attempt: AuthAttempt,
  request: Request,
  limit: RateLimit,
): Promise<RateLimitResult> {
  return hitRateLimit(
    db,
    `${attempt}:${rateLimitAddress(request.headers.get("cf-connecting-ip"))}`,
    limit,
  );
}

/** The words shown on the form when an attempt is refused. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  const wait = retryAfterSeconds === 1 ? "1 second" : `${retryAfterSeconds} seconds`;
  return `Too many attempts from your network. Please wait ${wait} and try again.`;
}

/** The status and `Retry-After` header of every refused attempt, on a page or from `/api/auth/*`. */
export function rateLimitRefusal(retryAfterSeconds: number): {
  status: 429;
  headers: { "Retry-After": string };
} {
  return { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } };
}
