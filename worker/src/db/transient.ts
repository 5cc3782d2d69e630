import { ApiError, findCause } from "../errors.ts";

/**
 * Messages D1 documents as transient ("Retry the operation"): the database object
 * restarting or resetting, the network to it dropping, or it being overloaded.
 */
const TRANSIENT_MESSAGES = [
  /Network connection lost/i,
  /reset because its code was updated/i,
  // "…storage caused object to be reset", "…exceeded timeout which caused object to be reset"
  /object to be reset/i,
  /Cannot resolve D1 DB due to transient issue/i,
  /D1 DB is overloaded/i,
  /Requests queued for too long/i,
  /Too many requests queued/i,
  /D1_ERROR: .*internal error/i,
];

/** Attempts per round trip when it may be retried: the first one and three retries. */
export const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 20;
/** Seconds a client is asked to wait when D1 stays unavailable. */
export const RETRY_AFTER_SECONDS = 1;

const hasTransientMessage = (error: unknown): error is Error =>
  error instanceof Error && TRANSIENT_MESSAGES.some((pattern) => pattern.test(error.message));

export const isTransientD1Error = (error: unknown): boolean =>
  findCause(error, hasTransientMessage) !== undefined;

export const unavailable = (cause: unknown) => {
  const error = new ApiError("unavailable", "The database is briefly unavailable; try again", {
    headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
  });
  error.cause = cause;
  return error;
};

/** Full jitter: a random wait up to 20, 40, 80 ms before the 1st, 2nd, 3rd retry. */
const backoff = (retry: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * BACKOFF_BASE_MS * 2 ** retry));

/**
 * Runs one D1 round trip. A transient error is retried when `retryable` (a read, or a
 * write that is safe to repeat) up to {@link MAX_ATTEMPTS} times, then becomes 503
 * `unavailable`; an unretryable round trip answers 503 at once, since whether it was
 * applied is unknown. Any other error is rethrown as it is (500 `internal`).
 */
export async function withTransientRetry<T>(run: () => Promise<T>, retryable: boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isTransientD1Error(error)) throw error;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw unavailable(error);
      await backoff(attempt - 1);
    }
  }
}
