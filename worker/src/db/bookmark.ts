/** Request and response header carrying a D1 session bookmark (read-your-own-writes). */
export const BOOKMARK_HEADER = "x-d1-bookmark";

const BOOKMARK_MAX_LENGTH = 128;
const BOOKMARK_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** A bookmark in D1's shape, or undefined for anything else (absent, oversized, malformed). */
export function parseBookmark(header: string | undefined): string | undefined {
  if (header === undefined || header.length > BOOKMARK_MAX_LENGTH) return undefined;
  return BOOKMARK_SHAPE.test(header) ? header : undefined;
}

/**
 * Where a request's session starts: at the client's bookmark when it sent a good one;
 * at the primary when it sent one we cannot use (so it still reads its own writes);
 * anywhere (a replica may answer) when it sent none.
 */
export function sessionStart(header: string | undefined): D1SessionBookmark | D1SessionConstraint {
  if (header === undefined) return "first-unconstrained";
  return parseBookmark(header) ?? "first-primary";
}

/** D1 refusing a bookmark it cannot serve (unknown, too new, from another database). */
export const isRefusedBookmark = (error: unknown) =>
  error instanceof Error && /bookmark/i.test(error.message);
