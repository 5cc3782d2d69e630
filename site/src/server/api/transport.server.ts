import type { AppType } from "@todo/worker";
import { BOOKMARK_HEADER } from "@todo/worker/contract";
import { tokenShard } from "@todo/worker/token";
import { hc } from "hono/client";
import { ConfigError, NO_WAY_TO_API, type SiteConfig } from "../config.server.ts";
import { timed } from "../http/server-timing.server.ts";
import { currentRequest } from "../request-context.server.ts";
import { traceHeaders } from "../trace.server.ts";
import { API_DEADLINE_MS } from "./api-deadline.ts";
import type { BookmarkJar } from "./bookmark-cookie.server.ts";

/** Any URL will do for the service binding: it routes by binding, not by host. */
const BINDING_BASE_URL = "https://todo-api.internal";

export { API_DEADLINE_MS };

/**
 * Why the API did not serve a call, and the status the page answers with:
 * it could not be reached or failed (502), did not answer within
 * its deadline (`config.apiDeadlineMs`, {@link API_DEADLINE_MS} deployed) (504), or said it is unavailable for now (503).
 */
const FAULT_STATUS = { unreachable: 502, timeout: 504, busy: 503 } as const;
export type ApiFault = keyof typeof FAULT_STATUS;

/** The API did not serve a call (see {@link ApiFault}); nothing it said can be shown. */
export class ApiUnavailableError extends Error {
  override name = "ApiUnavailableError";
  constructor(
    message: string,
    readonly fault: ApiFault = "unreachable",
    options?: ErrorOptions & { retryAfter?: string | undefined },
  ) {
    super(message, options);
    this.retryAfter = options?.retryAfter;
  }
  /** The API's `Retry-After`, for a 503. */
  readonly retryAfter: string | undefined;
  /** The status of the page that reports it. */
  get status(): number {
    return FAULT_STATUS[this.fault];
  }
}

/** The shard the call's token runs on (the site's own token: see tokenShard). */
const callShard = (headers: Headers) =>
  tokenShard(headers.get("authorization")?.replace(/^Bearer /i, "") ?? "");

const isTimeout = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

export type ApiTransport = { baseUrl: string; fetch: typeof fetch };

/**
 * The one way to the API: HTTP to `API_URL` when it is set (local dev), else
 * the `API` service binding (deployed); never anything else. Failures to
 * connect become {@link ApiUnavailableError}, and so does a call the API has
 * not answered within `config.apiDeadlineMs` ({@link API_DEADLINE_MS} deployed). Each call is timed as `api` in
 * `Server-Timing`. Each call carries the request's id (`x-request-id`) and trace
 * (`traceparent`, a new span per call), so the API logs them too. With a bookmark
 * jar, each call sends its bookmark as `x-d1-bookmark` and keeps the one the answer
 * carries.
 *
 * With `streaming`, the deadline covers the wait for the answer's headers only, so a
 * long download (the export) is not cut off by it.
 *
 * @throws {ConfigError} with neither `API_URL` nor the binding (`readConfig` refuses that first)
 */
export function apiTransport(
  config: SiteConfig,
  binding: Fetcher | undefined,
  bookmarks?: BookmarkJar,
  { streaming = false }: { streaming?: boolean } = {},
): ApiTransport {
  const send: typeof fetch | undefined =
    config.apiUrl !== undefined
      ? (input, init) => fetch(input, init)
      : binding && ((input, init) => binding.fetch(input, init));
  if (!send) throw new ConfigError(NO_WAY_TO_API);
  return {
    baseUrl: config.apiUrl ?? BINDING_BASE_URL,
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      const request = currentRequest();
      if (request?.trace) {
        for (const [name, value] of Object.entries(traceHeaders(request.trace))) {
          headers.set(name, value);
        }
      }
      const shard = bookmarks && callShard(headers);
      const bookmark = shard === undefined ? undefined : bookmarks?.get(shard);
      if (bookmark !== undefined) headers.set(BOOKMARK_HEADER, bookmark);
      let response: Response;
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new DOMException("The API call took too long", "TimeoutError")),
        config.apiDeadlineMs,
      );
      try {
        const signal = init?.signal
          ? AbortSignal.any([init.signal, deadline.signal])
          : deadline.signal;
        response = await timed(request?.timings, "api", () =>
          send(input, { ...init, headers, signal }),
        );
        if (streaming) clearTimeout(timer);
      } catch (error) {
        clearTimeout(timer);
        if (isTimeout(error)) {
          throw new ApiUnavailableError("The todo API did not answer in time", "timeout", {
            cause: error,
          });
        }
        throw new ApiUnavailableError("The todo API could not be reached", "unreachable", {
          cause: error,
        });
      }
      const answered = response.headers.get(BOOKMARK_HEADER);
      if (answered !== null && shard !== undefined) bookmarks?.set(shard, answered);
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
