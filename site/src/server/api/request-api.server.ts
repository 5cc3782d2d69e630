import { env } from "cloudflare:workers";
import type { AstroCookies } from "astro";
import { bookmarkCookie } from "./bookmark-cookie.server.ts";
import { type TodoApi, type TokenSource, todoApi } from "./todo-api.server.ts";
import { apiTransport } from "./transport.server.ts";

/**
 * The API for a page of this request: the person's token, and the bookmark cookie kept
 * up to date. `streaming` is for a download passed through as it comes (apiTransport).
 */
export function requestTodoApi(
  locals: App.Locals,
  cookies: AstroCookies,
  tokens: TokenSource,
  options: { streaming?: boolean } = {},
): TodoApi {
  const { config } = locals;
  const bookmarks = bookmarkCookie(cookies, config.secure);
  return todoApi(apiTransport(config, env.API, bookmarks, options), tokens);
}
