import type { AppType } from "@todo/worker";
import { hc } from "hono/client";
import { ConfigError, NO_WAY_TO_API, type SiteConfig } from "../config.server.ts";

/** Any URL will do for the service binding: it routes by binding, not by host. */
const BINDING_BASE_URL = "https://todo-api.internal";

/** The API could not be reached or failed (network error or 5xx). Shown as a 502 page. */
export class ApiUnavailableError extends Error {
  override name = "ApiUnavailableError";
}

export type ApiTransport = { baseUrl: string; fetch: typeof fetch };

/**
 * The one way to the API: HTTP to `API_URL` when it is set (local dev), else
 * the `API` service binding (deployed); never anything else. Failures to
 * connect become {@link ApiUnavailableError}.
 *
 * @throws {ConfigError} with neither `API_URL` nor the binding (`readConfig` refuses that first)
 */
export function apiTransport(config: SiteConfig, binding: Fetcher | undefined): ApiTransport {
  const send: typeof fetch | undefined =
    config.apiUrl !== undefined
      ? (input, init) => fetch(input, init)
      : binding && ((input, init) => binding.fetch(input, init));
  if (!send) throw new ConfigError(NO_WAY_TO_API);
  return {
    baseUrl: config.apiUrl ?? BINDING_BASE_URL,
    fetch: async (input, init) => {
      try {
        return await send(input, init);
      } catch (error) {
        throw new ApiUnavailableError("The todo API could not be reached", { cause: error });
      }
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
