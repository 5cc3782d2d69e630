import { FRAGMENT_HEADER } from "../../protocol/fragment.ts";

/** The header every answer that can be a fragment must vary on. */
export const FRAGMENT_VARY = FRAGMENT_HEADER;

/** Whether the request asks for the named fragment rather than the whole page. */
export function isFragmentRequest(request: Request, name: string): boolean {
  return request.headers.get(FRAGMENT_HEADER) === name;
}
