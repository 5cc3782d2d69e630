import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { readConfig as parseConfig } from "../server/config.server.ts";

/** Reads the settings (a bad one throws `ConfigError`); nobody is signed in until the session says so. */
export const readConfig = defineMiddleware(({ locals, url }, next) => {
  locals.config = parseConfig(env, { dev: import.meta.env.DEV, url });
  locals.user = null;
  locals.tokens = null;
  return next();
});
