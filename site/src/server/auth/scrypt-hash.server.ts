import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt's cost parameters: N = 2^ln (CPU and memory), r (block size), p (parallelism). */
export type ScryptParams = { ln: number; r: number; p: number };

/**
 * OWASP's listed N=2^14, r=8, p=5: about 16 MiB, so it fits a Worker's 128 MB with room,
 * and it costs less CPU in workerd than the other fitting choice, N=2^15 r=8 p=3
 * (docs/decisions/053-password-hashing.md).
 */
export const CURRENT_PARAMS: ScryptParams = { ln: 14, r: 8, p: 5 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * The most memory a hash may ask for, also passed to scrypt as `maxmem`: a stored
 * hash cannot make a Worker allocate more than this.
 */
export const MAX_MEMORY_BYTES = 32 * 1024 * 1024;
/** The most work (N·r·p) a stored hash may ask for: OWASP's N=2^17 r=8 p=1. */
export const MAX_WORK = 2 ** 20;
const LIMITS = { ln: [1, 16], r: [1, 16], p: [1, 16], saltBytes: [8, 64], keyBytes: [16, 64] };

/** What scrypt allocates (OpenSSL's count): the N-block table plus p blocks and two spare. */
export const scryptMemoryBytes = ({ ln, r, p }: ScryptParams) => 128 * r * (2 ** ln + p + 2);

const within = (value: number, [min, max]: number[]) =>
  Number.isInteger(value) && value >= (min ?? 0) && value <= (max ?? 0);

/** True when a hash with these parameters stays within the memory and work bounds. */
export function withinLimits(params: ScryptParams): boolean {
  return (
    within(params.ln, LIMITS.ln) &&
    within(params.r, LIMITS.r) &&
    within(params.p, LIMITS.p) &&
    scryptMemoryBytes(params) <= MAX_MEMORY_BYTES &&
    2 ** params.ln * params.r * params.p <= MAX_WORK
  );
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyBytes: number) {
  const options = { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: MAX_MEMORY_BYTES };
  // Same normalization as Better Auth's own hash, so a password typed either way matches.
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** PHC's base64: standard alphabet, no padding. */
const b64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");
const B64 = /^[A-Za-z0-9+/]+$/;
function fromB64(text: string, [min, max]: number[]): Buffer | undefined {
  if (!B64.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  // Buffer.from skips what it cannot read; the round trip makes the decoding strict.
  if (b64(bytes) !== text || !within(bytes.length, [min ?? 0, max ?? 0])) return undefined;
  return bytes;
}

export type ScryptHash = { params: ScryptParams; salt: Buffer; key: Buffer };

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([^$]+)\$([^$]+)$/;

/**
 * Reads `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>`; undefined when it is not one,
 * or when its parameters are outside the bounds.
 */
export function parseScryptHash(stored: string): ScryptHash | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const [, ln, r, p, saltText = "", keyText = ""] = match;
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  const salt = fromB64(saltText, LIMITS.saltBytes);
  const key = fromB64(keyText, LIMITS.keyBytes);
  if (!salt || !key || !withinLimits(params)) return undefined;
  return { params, salt, key };
}

/** Hashes a password at {@link CURRENT_PARAMS} with a fresh 16-byte salt, as a PHC string. */
export async function hashScrypt(password: string, params = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/** Checks a password against a PHC scrypt string in constant time; false for anything malformed. */
export async function verifyScrypt(stored: string, password: string): Promise<boolean> {
  const hash = parseScryptHash(stored);
  if (!hash) return false;
  const key = await derive(password, hash.salt, hash.params, hash.key.length);
  return timingSafeEqual(key, hash.key);
}

/** True when a stored string is a PHC scrypt hash made at {@link CURRENT_PARAMS}. */
export function hasCurrentParams(stored: string): boolean {
  const params = parseScryptHash(stored)?.params;
  return (
    params?.ln === CURRENT_PARAMS.ln &&
    params.r === CURRENT_PARAMS.r &&
    params.p === CURRENT_PARAMS.p
  );
}
