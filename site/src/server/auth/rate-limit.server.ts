/** The attempts that are limited, each counted on its own. */
export type AuthAttempt = "sign-in" | "sign-up" | "forgot-password";

export type RateLimit = {
  /** Attempts allowed per client within one window. */
  max: number;
  windowSeconds: number;
};

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The client's IP as Cloudflare reports it. Locally the header may be absent,
 * and every client then shares one bucket, which is safe, only stricter.
 */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip")?.trim() || "unknown";
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
  return hitRateLimit(db, `${attempt}:${clientIp(request)}`, limit);
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
