/** The request header that makes a create idempotent, and the shape of its value. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
const KEY_SHAPE = /^[\x21-\x7e]{1,64}$/;

/** True for a usable key: 1–64 visible ASCII characters. */
export const isIdempotencyKey = (value: string): boolean => KEY_SHAPE.test(value);
