import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { readConfig as parseConfig, type SiteConfig } from "../server/config.server.ts";

/**
 * The isolate's settings, parsed once: its bindings do not change while it lives.
 * Whether an http origin is allowed depends on the host asked for, so a request
 * for another host parses again.
 */
let parsed: SiteConfig | undefined;
let parsedFor: string | undefined;

/** Reads the settings (a bad one throws `ConfigError`); nobody is signed in until the session says so. */
export const readConfig = defineMiddleware(({ locals, url }, next) => {
  if (parsed === undefined || parsedFor !== url.hostname) {
    parsed = parseConfig(env, { dev: import.meta.env.DEV, url });
    parsedFor = url.hostname;
  }
  locals.config = parsed;
  locals.user = null;
  locals.tokens = null;
  return next();
});
