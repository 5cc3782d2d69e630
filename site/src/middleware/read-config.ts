import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { readConfig as parseConfig } from "../server/config.server.ts";

/** Reads the settings (a bad one throws `ConfigError`); nobody is signed in until the session says so. */
export const readConfig = defineMiddleware(({ locals }, next) => {
  locals.config = parseConfig(env, import.meta.env.DEV);
  locals.user = null;
  locals.tokens = null;
  return next();
});
