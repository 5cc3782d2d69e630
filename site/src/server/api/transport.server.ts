import type { AppType } from "@todo/worker";
import { BOOKMARK_HEADER } from "@todo/worker/contract";
import { hc } from "hono/client";
import type { SiteConfig } from "../config.server.ts";
import { timed } from "../http/server-timing.server.ts";
import { currentRequest } from "../request-context.server.ts";
import type { BookmarkJar } from "./bookmark-cookie.server.ts";

/** Any URL will do for the service binding: it routes by binding, not by host. */
const BINDING_BASE_URL = "https://todo-api.internal";

/** The API could not be reached or failed (network error or 5xx). Shown as a 502 page. */
export class ApiUnavailableError extends Error {
  override name = "ApiUnavailableError";
}

export type ApiTransport = { baseUrl: string; fetch: typeof fetch };

/**
 * The one way to the API: HTTP to `API_URL` when it is set (local dev), else
 * the `API` service binding (deployed). Failures to connect become
 * {@link ApiUnavailableError}. Each call is timed as `api` in `Server-Timing`. With a bookmark jar, each call sends its
 * bookmark as `x-d1-bookmark` and keeps the one the answer carries.
 */
export function apiTransport(
  config: SiteConfig,
  binding: Fetcher | undefined,
  bookmarks?: BookmarkJar,
): ApiTransport {
  const send: typeof fetch =
    config.apiUrl !== undefined || binding === undefined
      ? (input, init) => fetch(input, init)
      : (input, init) => binding.fetch(input, init);
  return {
    baseUrl: config.apiUrl ?? BINDING_BASE_URL,
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      const bookmark = bookmarks?.get();
      if (bookmark !== undefined) headers.set(BOOKMARK_HEADER, bookmark);
      let response: Response;
      try {
        response = await timed(currentRequest()?.timings, "api", () =>
          send(input, { ...init, headers }),
        );
      } catch (error) {
        throw new ApiUnavailableError("The todo API could not be reached", { cause: error });
      }
      const answered = response.headers.get(BOOKMARK_HEADER);
      if (answered !== null) bookmarks?.set(answered);
      return response;
    },
  };
}

/** The typed API client (`hc<AppType>`), sending `Authorization: Bearer <token>`. */
export function apiClient(transport: ApiTransport, token: string) {
  return hc<AppType>(transport.baseUrl, {
    fetch: transport.fetch,
    headers: { authorization: `Bearer ${token}` },
  });
}

export type ApiClient = ReturnType<typeof apiClient>;
