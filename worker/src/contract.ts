/** What the site shares with the API: the input limits, the error body's shape and the header rules. */

export { BOOKMARK_HEADER, parseBookmark } from "./db/bookmark.ts";
export type { ErrorBody, ErrorCode, FieldErrors } from "./errors.ts";
export { IDEMPOTENCY_KEY_HEADER, isIdempotencyKey } from "./schemas/idempotency-key.ts";
export { DESCRIPTION_MAX, LIST_LIMIT_MAX, TITLE_MAX, TODO_ID_PATTERN } from "./schemas/todo.ts";
