import { ApiError } from "../errors.ts";
import { IDEMPOTENCY_KEY_HEADER, isIdempotencyKey } from "../schemas/idempotency-key.ts";

export { IDEMPOTENCY_KEY_HEADER };

/** The request's `Idempotency-Key`: absent, or 1–64 visible ASCII characters (else 400). */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!isIdempotencyKey(header)) {
    throw new ApiError("validation_error", `Invalid ${IDEMPOTENCY_KEY_HEADER}`, {
      fields: { [IDEMPOTENCY_KEY_HEADER]: "must be 1 to 64 visible ASCII characters" },
    });
  }
  return header;
}
