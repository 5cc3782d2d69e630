/** What the site shares with the API: the input limits and the error body's shape. */

export type { ErrorBody, ErrorCode, FieldErrors } from "./errors.ts";
export { DESCRIPTION_MAX, LIST_LIMIT_MAX, TITLE_MAX, TODO_ID_PATTERN } from "./schemas/todo.ts";
