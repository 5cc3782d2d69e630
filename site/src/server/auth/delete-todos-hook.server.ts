import { mintToken } from "@todo/worker/token";
import { APIError } from "better-auth/api";
import { SignedOutError, todoApi } from "../api/todo-api.server.ts";
import { ApiUnavailableError, apiTransport } from "../api/transport.server.ts";
import type { SiteConfig } from "../config.server.ts";
import { homeShardOf } from "./home-shard.server.ts";

/** The Better Auth error code for "the todos could not be deleted, so the user was not". */
export const TODOS_UNAVAILABLE = "TODOS_UNAVAILABLE";

/**
 * Better Auth's `user.deleteUser.beforeDelete`: runs once the password is
 * verified and before the user is deleted. Erases the person's todos through
 * the API (`DELETE /api/me`) with a token minted for them, and stops the deletion (an
 * `APIError`, so nothing is deleted) unless the API confirmed.
 */
export function deleteTodosBeforeUser(api: Fetcher | undefined, config: SiteConfig) {
  return async (user: { id: string; shard?: unknown }): Promise<void> => {
    const shard = homeShardOf(user);
    const mint = async () => (await mintToken(user.id, config.jwtSecret, undefined, shard)).token;
    const todos = todoApi(apiTransport(config, api), { token: await mint(), remint: mint });
    try {
      await todos.erase();
    } catch (error) {
      if (!(error instanceof ApiUnavailableError || error instanceof SignedOutError)) throw error;
      throw new APIError("SERVICE_UNAVAILABLE", {
        code: TODOS_UNAVAILABLE,
        message: "The todos could not be deleted, so the account was kept",
      });
    }
  };
}
