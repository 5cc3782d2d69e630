import type { RateLimit, RateLimitResult } from "./rate-limit.server.ts";

/**
 * Failed password checks counted per account (sign-in, and the current password
 * of change-password and delete-account), whatever the client address, in the
 * same D1 table as the per-address limits. `account` is {@link accountKey}'s
 * HMAC of the email: an unknown address is counted exactly like a known one.
 */
const keyOf = (account: string) => `account-failure:${account}`;

/** Whether the account may try a password now: refused once `limit.max` failures sit in the window. */
export async function accountFailureLock(
  db: D1Database,
  account: string,
  limit: RateLimit,
  now: number = Date.now(),
): Promise<RateLimitResult> {
  const windowMs = limit.windowSeconds * 1000;
  const row = await db
    .prepare(
      "SELECT count(*) AS failures, min(at) AS first FROM auth_rate_limit WHERE key = ?1 AND at > ?2",
    )
    .bind(keyOf(account), now - windowMs)
    .first<{ failures: number; first: number | null }>();
  if (!row || row.failures < limit.max) return { allowed: true };
  const first = row.first ?? now;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((first + windowMs - now) / 1000)),
  };
}

/** Counts one failed password check for the account. */
export async function recordAccountFailure(
  db: D1Database,
  account: string,
  limit: RateLimit,
  now: number = Date.now(),
): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM auth_rate_limit WHERE at <= ?1").bind(now - limit.windowSeconds * 1000),
    db.prepare("INSERT INTO auth_rate_limit (key, at) VALUES (?1, ?2)").bind(keyOf(account), now),
  ]);
}

/** Forgets the account's failures (a successful password reset). */
export async function clearAccountFailures(db: D1Database, account: string): Promise<void> {
  await db.prepare("DELETE FROM auth_rate_limit WHERE key = ?1").bind(keyOf(account)).run();
}

/** The words shown on a form when the account is locked for a while. */
export function accountLockedMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${minutes} minutes`;
  return `Too many wrong passwords for this account. For its safety, password attempts are paused: please wait ${wait} and try again, or set a new password with Forgot password?.`;
}
