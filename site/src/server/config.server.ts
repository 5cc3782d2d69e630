import { isUsableSecret } from "@todo/worker/token";
import * as z from "zod";
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
    .union([z.string(), z.number(), z.undefined()])
    .transform((value) => (value === undefined || value === "" ? fallback : Number(value)))
    .pipe(
      z
        .number({ error: `${name} must be a number` })
        .int()
        .positive(`${name} must be above 0`),
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
});

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
  /** How email is sent (password reset links). */
  mail: MailConfig;
};

/**
 * Reads the site's settings from the Worker bindings, failing loudly on a bad one.
 *
 * @param env - the Worker bindings (`import { env } from "cloudflare:workers"`)
 * @param dev - true under `astro dev`, where an empty `API_URL` means {@link DEV_API_URL}
 * @throws {ConfigError} naming every missing or invalid setting
 */
export function readConfig(env: Env, dev = false): SiteConfig {
  const parsed = schema.safeParse(env);
  const mail = mailSchema.safeParse(env);
  if (!parsed.success || !mail.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(mail.error?.issues ?? [])];
    throw new ConfigError(issues.map((issue) => issue.message).join("; "));
  }
  const config = parsed.data;
  const origin = new URL(config.BETTER_AUTH_URL).origin;
  return {
    origin,
    secure: origin.startsWith("https:"),
    authSecret: config.BETTER_AUTH_SECRET,
    jwtSecret: config.JWT_SECRET,
    apiUrl: config.API_URL || (dev ? DEV_API_URL : undefined),
    rateLimit: {
      max: config.AUTH_RATE_LIMIT_MAX,
      windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    },
    mail: mailConfig(mail.data, origin),
  };
}
