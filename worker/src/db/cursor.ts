import { ApiError } from "../errors.ts";

/**
 * The list cursor is opaque to clients: base64url of the last item's position.
 * A cursor that does not decode is a 400, not an empty page.
 */
export function encodeCursor(seq: number): string {
  return btoa(`s:${seq}`).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
}

export function decodeCursor(cursor: string): number {
  let decoded = "";
  try {
    decoded = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    // falls through to the error below
  }
  const match = /^s:([1-9]\d{0,15})$/.exec(decoded);
  if (!match?.[1]) {
    throw new ApiError("validation_error", "Invalid cursor", {
      fields: { cursor: "is not a cursor this API issued" },
    });
  }
  return Number(match[1]);
}
