import { ApiError } from "../errors.ts";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
const KEY_SHAPE = /^[\x21-\x7e]{1,64}$/;

/** The request's `Idempotency-Key`: absent, or 1–64 visible ASCII characters (else 400). */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_SHAPE.test(header)) {
    throw new ApiError("validation_error", `Invalid ${IDEMPOTENCY_KEY_HEADER}`, {
      fields: { [IDEMPOTENCY_KEY_HEADER]: "must be 1 to 64 visible ASCII characters" },
    });
  }
  return header;
}
