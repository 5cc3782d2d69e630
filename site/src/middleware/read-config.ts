import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { readConfig as parseConfig, type SiteConfig } from "../server/config.server.ts";

/** The isolate's settings, parsed once: its bindings do not change while it lives. */
let parsed: SiteConfig | undefined;

/** Reads the settings (a bad one throws `ConfigError`); nobody is signed in until the session says so. */
export const readConfig = defineMiddleware(({ locals }, next) => {
  parsed ??= parseConfig(env, import.meta.env.DEV);
  locals.config = parsed;
  locals.user = null;
  locals.tokens = null;
  return next();
});
