import { freshSecret, readDevVars, setDevVars, writeDevVarsIfMissing } from "./dev-vars.ts";

export const API_DEV_VARS = ".dev.vars";
export const SITE_DEV_VARS = "site/.dev.vars";

/**
 * Creates the API's and the site's .dev.vars when missing. Both hold the same
 * JWT_SECRET: the site signs with it, the API verifies with it.
 * Returns the files it created.
 */
export function ensureDevVars(): string[] {
  const jwtSecret =
    readDevVars(API_DEV_VARS).JWT_SECRET ?? readDevVars(SITE_DEV_VARS).JWT_SECRET ?? freshSecret();
  const created: string[] = [];
  if (writeDevVarsIfMissing(API_DEV_VARS, { JWT_SECRET: jwtSecret, JWT_SECRET_PREVIOUS: "" })) {
    created.push(API_DEV_VARS);
  }
  if (
    writeDevVarsIfMissing(SITE_DEV_VARS, {
      JWT_SECRET: jwtSecret,
      BETTER_AUTH_SECRET: freshSecret(),
    })
  ) {
    created.push(SITE_DEV_VARS);
  }
  return created;
}

/** Site settings that `npm run dev` takes from its environment (test suites raise the limit). */
export const SITE_SETTINGS_FROM_ENV = [
  // e.g. http://localhost:4321 to try passkeys locally: WebAuthn takes no IP address as relying party.
  "BETTER_AUTH_URL",
  "AUTH_RATE_LIMIT_MAX",
  "AUTH_RATE_LIMIT_WINDOW_SECONDS",
  "AUTH_ACCOUNT_FAILURE_MAX",
  "AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS",
];

/**
 * Copies the site settings present in `env` into site/.dev.vars: wrangler reads
 * .dev.vars instead of the process environment whenever the file exists.
 * Returns what it set.
 */
export function applySiteSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const settings = Object.fromEntries(
    SITE_SETTINGS_FROM_ENV.flatMap((key) => (env[key] ? [[key, env[key]]] : [])),
  );
  if (Object.keys(settings).length > 0) setDevVars(SITE_DEV_VARS, settings);
  return settings;
}
