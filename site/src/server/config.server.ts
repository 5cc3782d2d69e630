import { isUsableSecret } from "@todo/worker/token";
import * as z from "zod";
import { API_DEADLINE_BOUNDS_MS, API_DEADLINE_MS } from "./api/api-deadline.ts";
import { type OidcConfig, oidcConfig, oidcSchema } from "./auth/oidc-config.server.ts";
import { isLoopbackHost } from "./loopback.server.ts";
import { type MailConfig, mailConfig, mailSchema } from "./mail/mail-config.server.ts";

/** Where `astro dev` finds the API when `API_URL` is empty (`npm run dev` starts it there). */
export const DEV_API_URL = "http://127.0.0.1:8787";

/** A missing or unusable setting. The site refuses to serve rather than run half-configured. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const secret = (name: string) =>
  z
    .string({ error: `${name} is missing` })
    .refine(isUsableSecret, `${name} must be at least 32 bytes`);

const positiveInt = (name: string, fallback: number) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : Number(value)))
    .pipe(
      z
        .number({ error: `${name} must be a number` })
        .int()
        .positive(`${name} must be above 0`),
    );

/** `API_DEADLINE_MS`: unset means the deployed 5 s; a test may set less, never more. */
const deadlineBounds = `API_DEADLINE_MS must be ${API_DEADLINE_BOUNDS_MS.min} to ${API_DEADLINE_BOUNDS_MS.max}`;
const deadlineMs = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value) => (value === undefined || value === "" ? API_DEADLINE_MS : Number(value)))
  .pipe(
    z
      .number({ error: deadlineBounds })
      .int(deadlineBounds)
      .min(API_DEADLINE_BOUNDS_MS.min, deadlineBounds)
      .max(API_DEADLINE_BOUNDS_MS.max, deadlineBounds),
  );

const schema = z.object({
  BETTER_AUTH_URL: z.url({ protocol: /^https?$/, error: "BETTER_AUTH_URL must be an http(s) URL" }),
  BETTER_AUTH_SECRET: secret("BETTER_AUTH_SECRET"),
  JWT_SECRET: secret("JWT_SECRET"),
  API_URL: z.union([
    z.url({ protocol: /^https?$/, error: "API_URL must be an http(s) URL" }),
    z.literal(""),
    z.undefined(),
  ]),
  AUTH_RATE_LIMIT_MAX: positiveInt("AUTH_RATE_LIMIT_MAX", 20),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt("AUTH_RATE_LIMIT_WINDOW_SECONDS", 60),
  API_DEADLINE_MS: deadlineMs,
  AUTH_ACCOUNT_FAILURE_MAX: positiveInt("AUTH_ACCOUNT_FAILURE_MAX", 10),
  AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS: positiveInt("AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS", 900),
});

/** Where the settings are read: under `astro dev` or not, and the URL the request came to. */
export type ConfigContext = { dev: boolean; url: URL };

export type SiteConfig = {
  /** The site's public origin (`BETTER_AUTH_URL`), e.g. `https://todo.example.com`. */
  origin: string;
  /** True on https: cookies get `Secure` and the token cookie the `__Host-` prefix. */
  secure: boolean;
  authSecret: string;
  jwtSecret: string;
  /** Set: reach the API over HTTP at this URL. Unset: through the `API` service binding. */
  apiUrl: string | undefined;
  rateLimit: { max: number; windowSeconds: number };
  /** How long each API call may take before it is abandoned (`API_DEADLINE_MS`, 5000 unless a test shortens it). */
  apiDeadlineMs: number;
  /** Failed password checks allowed per account (any client address) within the window. */
  accountFailures: { max: number; windowSeconds: number };
  /** How email is sent (password reset links). */
  mail: MailConfig;
  /** Single sign-on through an OpenID Connect provider; undefined when not set up. */
  oidc: OidcConfig | undefined;
};

/** Refused on every path to the API: there is no other way (no global-fetch fallback). */
export const NO_WAY_TO_API = "neither API_URL nor the API binding is set";

/** What makes the settings unsafe to serve with (the rules of {@link readConfig}). */
function deploymentProblems(env: Env, site: URL, api: URL | undefined, context: ConfigContext) {
  const problems: string[] = [];
  const localSite = isLoopbackHost(site.hostname) && isLoopbackHost(context.url.hostname);
  if (!context.dev && site.protocol !== "https:" && !localSite) {
    problems.push("BETTER_AUTH_URL must be https when deployed");
  }
  if (api && api.protocol !== "https:" && !isLoopbackHost(api.hostname)) {
    problems.push("API_URL must be https, or http on a loopback host");
  }
  if (!context.dev && !api && !("API" in env && env.API)) problems.push(NO_WAY_TO_API);
  return problems;
}

/**
 * Reads the site's settings from the Worker bindings, failing loudly on a bad
 * one. Outside `astro dev` it fails closed (docs/decisions/073-local-dev-rule.md):
 * `BETTER_AUTH_URL` must be https, except an http loopback origin asked for on
 * a loopback host (a production build tested on this machine); `API_URL`, when
 * set, must be https or http on a loopback host; with `API_URL` empty the `API`
 * binding must exist.
 *
 * @param env - the Worker bindings (`import { env } from "cloudflare:workers"`)
 * @param context - `dev`: true under `astro dev`, where an empty `API_URL` means
 *   {@link DEV_API_URL}; `url`: the request's URL
 * @throws {ConfigError} naming every missing or invalid setting
 */
export function readConfig(env: Env, context: ConfigContext): SiteConfig {
  const parsed = schema.safeParse(env);
  const mail = mailSchema.safeParse(env);
  const oidc = oidcSchema.safeParse(env);
  if (!parsed.success || !mail.success || !oidc.success) {
    const issues = [
      ...(parsed.error?.issues ?? []),
      ...(mail.error?.issues ?? []),
      ...(oidc.error?.issues ?? []),
    ];
    throw new ConfigError(issues.map((issue) => issue.message).join("; "));
  }
  const config = parsed.data;
  const site = new URL(config.BETTER_AUTH_URL);
  const api = config.API_URL ? new URL(config.API_URL) : undefined;
  const problems = deploymentProblems(env, site, api, context);
  if (problems.length > 0) throw new ConfigError(problems.join("; "));
  return {
    origin: site.origin,
    secure: site.protocol === "https:",
    authSecret: config.BETTER_AUTH_SECRET,
    jwtSecret: config.JWT_SECRET,
    apiUrl: config.API_URL || (context.dev ? DEV_API_URL : undefined),
    rateLimit: {
      max: config.AUTH_RATE_LIMIT_MAX,
      windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    },
    apiDeadlineMs: config.API_DEADLINE_MS,
    accountFailures: {
      max: config.AUTH_ACCOUNT_FAILURE_MAX,
      windowSeconds: config.AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS,
    },
    mail: mailConfig(mail.data, site.origin),
    oidc: oidcConfig(oidc.data),
  };
}
