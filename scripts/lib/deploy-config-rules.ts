/**
 * The rules a deployable pair of wrangler configs must meet, as pure functions
 * over the configs as wrangler reads them. Each returns the problems it finds,
 * in words; none means the config may be deployed.
 */
import { API_DEADLINE_MS } from "../../site/src/server/api/api-deadline.ts";
import { isLoopbackHost } from "../../site/src/server/loopback.server.ts";

/** The parts of a wrangler config (as `unstable_readConfig` returns it) the rules read. */
export type DeployConfig = {
  name?: string | undefined;
  workers_dev?: boolean | undefined;
  preview_urls?: boolean | undefined;
  secrets?: { required?: string[] | undefined } | undefined;
  vars?: Record<string, unknown> | undefined;
  services?: { binding: string; service: string }[] | undefined;
  triggers?: { crons?: string[] | undefined } | undefined;
  observability?: Observability | undefined;
};

type Sampled = { enabled?: boolean | undefined; head_sampling_rate?: number | undefined };
type Observability = Sampled & {
  redact_query_string?: boolean | undefined;
  logs?: (Sampled & { invocation_logs?: boolean | undefined }) | undefined;
  traces?: Sampled | undefined;
};

const isRate = (rate: number | undefined) => rate === undefined || (rate > 0 && rate <= 1);

/**
 * Workers Logs and traces on (docs/operating.md), without what would put secrets in
 * them: query strings redacted (a reset link's token), no invocation logs (they record
 * request headers and URLs). Every request's log line is kept (sampling 1), so one
 * request id finds a whole page view; traces may be sampled.
 */
export function observabilityProblems(config: DeployConfig): string[] {
  const observability = config.observability;
  const problems: string[] = [];
  if (observability?.enabled === false) problems.push("observability.enabled must not be false");
  if (observability?.logs?.enabled !== true)
    problems.push("observability.logs.enabled must be true");
  if (observability?.traces?.enabled !== true) {
    problems.push("observability.traces.enabled must be true");
  }
  if (
    (observability?.head_sampling_rate ?? 1) !== 1 ||
    (observability?.logs?.head_sampling_rate ?? 1) !== 1
  ) {
    problems.push(
      "observability.logs.head_sampling_rate must be 1: every request's log line is kept",
    );
  }
  if (!isRate(observability?.traces?.head_sampling_rate)) {
    problems.push("observability.traces.head_sampling_rate must be above 0 and at most 1");
  }
  if (observability?.logs?.invocation_logs !== false) {
    problems.push("observability.logs.invocation_logs must be false: they record request headers");
  }
  if (observability?.redact_query_string !== true) {
    problems.push("observability.redact_query_string must be true: query strings may hold tokens");
  }
  return problems;
}

export const API_REQUIRED_SECRETS = ["JWT_SECRET"];
export const SITE_REQUIRED_SECRETS = ["JWT_SECRET", "BETTER_AUTH_SECRET"];

/** Names that say a value is a secret; such a value belongs in `wrangler secret put`, never in vars. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE/i;

/** Hosts reserved for examples (RFC 2606): an origin still on one was never set. */
const EXAMPLE_HOST = /(^|\.)example(\.(com|net|org))?$/i;

function requiredSecrets(config: DeployConfig, expected: string[]): string[] {
  const required = [...(config.secrets?.required ?? [])].sort();
  return required.join(",") === [...expected].sort().join(",")
    ? []
    : [
        `secrets.required must be exactly ${expected.join(", ")} (is ${required.join(", ") || "unset"})`,
      ];
}

function secretsInVars(config: DeployConfig): string[] {
  return Object.keys(config.vars ?? {})
    .filter((name) => SECRET_NAME.test(name))
    .map((name) => `vars.${name} looks like a secret: set it with wrangler secret put instead`);
}

const parseUrl = (value: unknown): URL | undefined =>
  typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;

/**
 * The API: reachable only through the site's binding, requiring only
 * `JWT_SECRET`, with a Cron Trigger when it has a scheduled handler.
 */
export function apiConfigProblems(
  config: DeployConfig,
  worker: { hasScheduledHandler: boolean },
): string[] {
  return [
    ...(config.workers_dev === false ? [] : ["workers_dev must be false"]),
    ...(config.preview_urls === false ? [] : ["preview_urls must be false"]),
    ...requiredSecrets(config, API_REQUIRED_SECRETS),
    ...secretsInVars(config),
    ...observabilityProblems(config),
    ...(worker.hasScheduledHandler && (config.triggers?.crons ?? []).length === 0
      ? ["the API has a scheduled handler but no Cron Trigger (triggers.crons)"]
      : []),
  ];
}

export type SiteRuleOptions = {
  /** The API Worker's name: the `API` binding must point at it. */
  apiName: string;
  /** Accept the committed local default `http://<loopback>` for BETTER_AUTH_URL (checking the template, not a deploy). */
  allowLocalOrigin?: boolean;
};

/**
 * The bounds a deployed site's limits must keep (tests may go beyond them; a
 * deploy may not): each var, when set, an integer within [min, max].
 */
export const SITE_LIMIT_BOUNDS: Record<string, { min: number; max: number }> = {
  AUTH_RATE_LIMIT_MAX: { min: 1, max: 100 },
  AUTH_RATE_LIMIT_WINDOW_SECONDS: { min: 10, max: 3600 },
  AUTH_ACCOUNT_FAILURE_MAX: { min: 1, max: 50 },
  AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS: { min: 300, max: 86_400 },
};

function limitProblems(config: DeployConfig): string[] {
  return Object.entries(SITE_LIMIT_BOUNDS).flatMap(([name, { min, max }]) => {
    const value = config.vars?.[name];
    if (value === undefined || value === "") return [];
    const number = Number(value);
    return Number.isInteger(number) && number >= min && number <= max
      ? []
      : [`vars.${name} must be an integer from ${min} to ${max} when deployed (is ${value})`];
  });
}

/**
 * The site: no preview URLs (a preview would run with production secrets and
 * data), limits within production bounds, an https origin that is not an example, the API through the `API`
 * binding (or an https `API_URL`), requiring `JWT_SECRET` and `BETTER_AUTH_SECRET`.
 */
export function siteConfigProblems(config: DeployConfig, options: SiteRuleOptions): string[] {
  const problems: string[] = [
    ...(config.preview_urls === false ? [] : ["preview_urls must be false"]),
    ...limitProblems(config),
  ];
  const origin = parseUrl(config.vars?.BETTER_AUTH_URL);
  const localOrigin =
    options.allowLocalOrigin && origin?.protocol === "http:" && isLoopbackHost(origin.hostname);
  if (!localOrigin) {
    if (origin?.protocol !== "https:") {
      problems.push("vars.BETTER_AUTH_URL must be the site's https origin");
    } else if (EXAMPLE_HOST.test(origin.hostname)) {
      problems.push(
        `vars.BETTER_AUTH_URL is still the example ${origin.origin}: set the site's origin`,
      );
    }
  }
  const apiUrl = config.vars?.API_URL ?? "";
  if (apiUrl !== "" && parseUrl(apiUrl)?.protocol !== "https:") {
    problems.push("vars.API_URL must be empty (use the API binding) or https");
  }
  const deadline = config.vars?.API_DEADLINE_MS;
  if (deadline !== undefined && deadline !== "" && String(deadline) !== String(API_DEADLINE_MS)) {
    problems.push(
      `vars.API_DEADLINE_MS is for tests: deployed, the API deadline is ${API_DEADLINE_MS} ms`,
    );
  }
  const binding = config.services?.find((service) => service.binding === "API");
  if (binding?.service !== options.apiName) {
    problems.push(`the API service binding must point at ${options.apiName}`);
  }
  return [
    ...problems,
    ...requiredSecrets(config, SITE_REQUIRED_SECRETS),
    ...secretsInVars(config),
    ...observabilityProblems(config),
  ];
}

const CREATES_DEV_MAILBOX = /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?["'`[]?dev_mailbox\b/i;

/**
 * The auth database's deployed migrations (the folder `wrangler d1 migrations apply
 * --remote` reads): nothing local-only in them. The dev mailbox's table belongs in
 * `migrations/auth-dev`, which only local dev and the tests apply.
 */
export function deployedMigrationProblems(files: { name: string; sql: string }[]): string[] {
  return files
    .filter((file) => CREATES_DEV_MAILBOX.test(file.sql))
    .map(
      (file) => `${file.name} creates the dev mailbox, which is local only (migrations/auth-dev)`,
    );
}
