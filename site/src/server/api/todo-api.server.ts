import { type ErrorBody, IDEMPOTENCY_KEY_HEADER } from "@todo/worker/contract";
import type { InferResponseType } from "hono/client";
import {
  type ApiClient,
  type ApiTransport,
  ApiUnavailableError,
  apiClient,
} from "./transport.server.ts";

export type Todo = InferResponseType<ApiClient["api"]["todos"][":id"]["$get"], 200>;
export type TodoFilter = "all" | "active" | "completed";
/** One page of a list: its todos, the cursor of the next (older) page, the person's counts. */
export type TodoPage = InferResponseType<ApiClient["api"]["todos"]["$get"], 200>;

/** How many todos one view of `/todos` shows. */
export const PAGE_SIZE = 50;

/** The API still refuses a freshly minted token: the person must sign in again. */
export class SignedOutError extends Error {
  override name = "SignedOutError";
}

/** The API refused the input (400, or 422 for a reused idempotency key); `fields` maps a field to the API's words. */
export class RejectedError extends Error {
  override name = "RejectedError";
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Where the token comes from: the cookie's, and a way to mint a new one once. */
export type TokenSource = { token: string; remint: () => Promise<string> };

/** `hc` puts `param` into the path as it is, so an id is encoded here, whatever checked it before. */
const todoParam = (id: string) => ({ id: encodeURIComponent(id) });

/**
 * The todo operations the pages need, over the typed API client.
 * A 401 re-mints the token once and retries; a second 401 is {@link SignedOutError}.
 * A 5xx, a connection failure or a call past the deadline is {@link ApiUnavailableError}.
 */
export function todoApi(transport: ApiTransport, tokens: TokenSource) {
  let client = apiClient(transport, tokens.token);
  let reminted = false;

  async function send<R extends { status: number; headers: Headers; json(): Promise<unknown> }>(
    call: (api: ApiClient) => Promise<R>,
  ): Promise<R> {
    let response = await call(client);
    if (response.status === 401 && !reminted) {
      reminted = true;
      client = apiClient(transport, await tokens.remint());
      response = await call(client);
    }
    if (response.status === 401) throw new SignedOutError("The API refused the token");
    if (response.status >= 500) {
      const busy = response.status === 503;
      throw new ApiUnavailableError(
        `The API answered ${response.status}`,
        busy ? "busy" : "unreachable",
        { retryAfter: (busy && response.headers.get("retry-after")) || undefined },
      );
    }
    if (response.status === 400 || response.status === 422) {
      const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
      const { message = "Invalid input", fields, code } = body.error ?? {};
      throw new RejectedError(message, fields, code);
    }
    return response;
  }

  return {
    /** One page of the filter's todos, newest first, from `cursor` on (the newest without one). */
    async page(status: TodoFilter, cursor?: string): Promise<TodoPage> {
      const query = { status, limit: String(PAGE_SIZE), cursor };
      const response = await send((api) => api.api.todos.$get({ query }));
      if (response.status !== 200)
        throw new ApiUnavailableError(`The API answered ${response.status}`);
      return response.json();
    },

    /** Adds a todo; with the same `idempotencyKey`, a resend adds nothing more. */
    async create(title: string, idempotencyKey?: string): Promise<void> {
      const headers: Record<string, string> = idempotencyKey
        ? { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey }
        : {};
      await send((api) => api.api.todos.$post({ json: { title } }, { headers }));
    },

    /** Changes a todo; a todo that no longer exists is left alone (404 is not an error here). */
    async update(id: string, change: { title?: string; completed?: boolean }): Promise<void> {
      await send((api) => api.api.todos[":id"].$patch({ param: todoParam(id), json: change }));
    },

    async remove(id: string): Promise<void> {
      await send((api) => api.api.todos[":id"].$delete({ param: todoParam(id) }));
    },

    async completeAll(completed: boolean): Promise<void> {
      await send((api) => api.api.todos["complete-all"].$post({ json: { completed } }));
    },

    async clearCompleted(): Promise<void> {
      await send((api) => api.api.todos.$delete({ query: { status: "completed" } }));
    },

    /**
     * All the person's todos as the API's export streams them (`format` json or csv):
     * the answer with its body unread, to be passed on as it comes.
     */
    async exportAll(format: "json" | "csv"): Promise<Response> {
      const response = await send((api) => api.api.todos.export.$get({ query: { format } }));
      if (response.status !== 200)
        throw new ApiUnavailableError(`The API answered ${response.status}`);
      return response as unknown as Response;
    },

    /**
     * Erases the person's todos for account deletion (`DELETE /api/me`): those that exist
     * now, and any a token minted earlier creates within 31 minutes. Resolves only once
     * the API confirmed.
     */
    async erase(): Promise<void> {
      const response = await send((api) => api.api.me.$delete());
      if (response.status !== 204)
        throw new ApiUnavailableError(`The API answered ${response.status}`);
    },
  };
}

export type TodoApi = ReturnType<typeof todoApi>;
