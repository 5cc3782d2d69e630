import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  apiConfigProblems,
  type DeployConfig,
  deployedMigrationProblems,
  observabilityProblems,
  SITE_LIMIT_BOUNDS,
  siteConfigProblems,
} from "../lib/deploy-config-rules.ts";
import { readWorkerConfig, readWorkerConfigFile } from "../lib/worker-config.ts";

const observability: DeployConfig["observability"] = {
  enabled: true,
  redact_query_string: true,
  logs: { enabled: true, head_sampling_rate: 1, invocation_logs: false },
  traces: { enabled: true, head_sampling_rate: 0.1 },
};

const goodApi: DeployConfig = {
  name: "todo-api",
  workers_dev: false,
  preview_urls: false,
  secrets: { required: ["JWT_SECRET"] },
  vars: {},
  triggers: { crons: [] },
  observability,
};

const goodSite: DeployConfig = {
  name: "todo-site",
  preview_urls: false,
  secrets: { required: ["BETTER_AUTH_SECRET", "JWT_SECRET"] },
  vars: {
    API_URL: "",
    BETTER_AUTH_URL: "https://todo.acme.dev",
    AUTH_RATE_LIMIT_MAX: "20",
    AUTH_RATE_LIMIT_WINDOW_SECONDS: "60",
    AUTH_ACCOUNT_FAILURE_MAX: "10",
    AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS: "900",
  },
  services: [{ binding: "API", service: "todo-api" }],
  observability,
};

const site = (change: Partial<DeployConfig>, vars: Record<string, unknown> = {}) =>
  siteConfigProblems(
    { ...goodSite, ...change, vars: { ...goodSite.vars, ...vars } },
    { apiName: "todo-api" },
  );
const api = (change: Partial<DeployConfig>, hasScheduledHandler = false) =>
  apiConfigProblems({ ...goodApi, ...change }, { hasScheduledHandler });

describe("the API's deploy rules", () => {
  it("pass a config reachable only through the binding, requiring only JWT_SECRET", () => {
    expect(api({})).toEqual([]);
    expect(api({ triggers: { crons: ["*/5 * * * *"] } }, true)).toEqual([]);
  });

  it("refuse a public *.workers.dev or preview URL, also when left unset", () => {
    expect(api({ workers_dev: true })).toEqual(["workers_dev must be false"]);
    expect(api({ workers_dev: undefined })).toEqual(["workers_dev must be false"]);
    expect(api({ preview_urls: true })).toEqual(["preview_urls must be false"]);
    expect(api({ preview_urls: undefined })).toEqual(["preview_urls must be false"]);
  });

  it("refuse required secrets other than exactly JWT_SECRET", () => {
    for (const required of [["JWT_SECRET", "JWT_SECRET_PREVIOUS"], [], undefined]) {
      expect(api({ secrets: { required } })).toEqual([
        expect.stringMatching(/^secrets.required must be exactly JWT_SECRET/),
      ]);
    }
    expect(api({ secrets: undefined })).toHaveLength(1);
  });

  it("refuse a secret in vars", () => {
    expect(api({ vars: { JWT_SECRET: "x" } })).toEqual([
      "vars.JWT_SECRET looks like a secret: set it with wrangler secret put instead",
    ]);
    expect(api({ vars: { JWT_SECRET_PREVIOUS: "x" } })).toHaveLength(1);
  });

  it("refuse a scheduled handler without a Cron Trigger", () => {
    expect(api({}, true)).toEqual([
      "the API has a scheduled handler but no Cron Trigger (triggers.crons)",
    ]);
    expect(api({ triggers: {} }, true)).toHaveLength(1);
  });
});

describe("the site's deploy rules", () => {
  it("pass an https origin, the API binding and the two required secrets", () => {
    expect(site({})).toEqual([]);
    expect(site({}, { API_URL: "https://api.acme.dev" })).toEqual([]);
  });

  it("refuse a BETTER_AUTH_URL that is not https, or still an example origin", () => {
    const origin = "vars.BETTER_AUTH_URL must be the site's https origin";
    expect(site({}, { BETTER_AUTH_URL: "http://todo.acme.dev" })).toEqual([origin]);
    expect(site({}, { BETTER_AUTH_URL: "http://127.0.0.1:4321" })).toEqual([origin]);
    expect(site({}, { BETTER_AUTH_URL: "" })).toEqual([origin]);
    expect(site({}, { BETTER_AUTH_URL: undefined })).toEqual([origin]);
    expect(site({}, { BETTER_AUTH_URL: "todo.acme.dev" })).toEqual([origin]);
    for (const example of [
      "https://todo.example.com",
      "https://example.org",
      "https://a.example",
    ]) {
      expect(site({}, { BETTER_AUTH_URL: example })).toEqual([
        expect.stringMatching(/^vars.BETTER_AUTH_URL is still the example/),
      ]);
    }
  });

  it("accept the loopback local default only when checking the committed template", () => {
    const local = {
      ...goodSite,
      vars: { ...goodSite.vars, BETTER_AUTH_URL: "http://127.0.0.1:4321" },
    };
    expect(siteConfigProblems(local, { apiName: "todo-api", allowLocalOrigin: true })).toEqual([]);
    const remote = {
      ...goodSite,
      vars: { ...goodSite.vars, BETTER_AUTH_URL: "http://todo.acme.dev" },
    };
    expect(
      siteConfigProblems(remote, { apiName: "todo-api", allowLocalOrigin: true }),
    ).toHaveLength(1);
  });

  it("refuse preview URLs, also when left unset", () => {
    expect(site({ preview_urls: true })).toEqual(["preview_urls must be false"]);
    expect(site({ preview_urls: undefined })).toEqual(["preview_urls must be false"]);
  });

  it("refuse limits outside production bounds, and take them unset (the defaults)", () => {
    expect(site({}, { AUTH_RATE_LIMIT_MAX: "100" })).toEqual([]);
    expect(site({}, { AUTH_RATE_LIMIT_MAX: undefined, AUTH_ACCOUNT_FAILURE_MAX: "" })).toEqual([]);
    for (const [name, value] of [
      ["AUTH_RATE_LIMIT_MAX", "101"],
      ["AUTH_RATE_LIMIT_MAX", "10000"],
      ["AUTH_RATE_LIMIT_MAX", "0"],
      ["AUTH_RATE_LIMIT_WINDOW_SECONDS", "1"],
      ["AUTH_ACCOUNT_FAILURE_MAX", "51"],
      ["AUTH_ACCOUNT_FAILURE_MAX", "ten"],
      ["AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS", "60"],
    ] as const) {
      expect(site({}, { [name]: value })).toEqual([
        `vars.${name} must be an integer from ${SITE_LIMIT_BOUNDS[name]?.min} to ${SITE_LIMIT_BOUNDS[name]?.max} when deployed (is ${value})`,
      ]);
    }
  });

  it("refuse an API_URL that is not https", () => {
    for (const API_URL of ["http://127.0.0.1:8787", "http://api.acme.dev", "nonsense"]) {
      expect(site({}, { API_URL })).toEqual([
        "vars.API_URL must be empty (use the API binding) or https",
      ]);
    }
  });

  it("refuse a shortened API deadline (API_DEADLINE_MS is for tests)", () => {
    expect(site({}, { API_DEADLINE_MS: "5000" })).toEqual([]);
    expect(site({}, { API_DEADLINE_MS: "" })).toEqual([]);
    for (const deadline of ["1500", 300, "60000"]) {
      expect(site({}, { API_DEADLINE_MS: deadline })).toEqual([
        "vars.API_DEADLINE_MS is for tests: deployed, the API deadline is 5000 ms",
      ]);
    }
  });

  it("refuse a missing API binding or one to another Worker", () => {
    const binding = "the API service binding must point at todo-api";
    expect(site({ services: [] })).toEqual([binding]);
    expect(site({ services: undefined })).toEqual([binding]);
    expect(site({ services: [{ binding: "API", service: "other" }] })).toEqual([binding]);
    expect(site({ services: [{ binding: "TODO", service: "todo-api" }] })).toEqual([binding]);
  });

  it("refuse required secrets other than JWT_SECRET and BETTER_AUTH_SECRET, and secrets in vars", () => {
    expect(site({ secrets: { required: ["JWT_SECRET"] } })).toHaveLength(1);
    expect(site({ secrets: undefined })).toHaveLength(1);
    expect(site({}, { BETTER_AUTH_SECRET: "x" })).toEqual([
      "vars.BETTER_AUTH_SECRET looks like a secret: set it with wrangler secret put instead",
    ]);
  });
});

describe("the observability rules of both Workers", () => {
  const withObservability = (change: DeployConfig["observability"]) =>
    observabilityProblems({ observability: { ...observability, ...change } });

  it("pass logs and traces on, query strings redacted, no invocation logs", () => {
    expect(observabilityProblems({ observability })).toEqual([]);
    expect(withObservability({ traces: { enabled: true } })).toEqual([]);
    expect(withObservability({ traces: { enabled: true, head_sampling_rate: 1 } })).toEqual([]);
  });

  it("refuse a config without Workers Logs or traces, on either Worker", () => {
    const noLogs = "observability.logs.enabled must be true";
    const noTraces = "observability.traces.enabled must be true";
    expect(observabilityProblems({})).toEqual(expect.arrayContaining([noLogs, noTraces]));
    expect(withObservability({ logs: { enabled: false, invocation_logs: false } })).toEqual([
      noLogs,
    ]);
    expect(withObservability({ traces: undefined })).toEqual([noTraces]);
    expect(withObservability({ traces: { enabled: false } })).toEqual([noTraces]);
    expect(withObservability({ enabled: false })).toEqual([
      "observability.enabled must not be false",
    ]);
    expect(api({ observability: undefined })).toEqual(expect.arrayContaining([noLogs, noTraces]));
    expect(site({ observability: { ...observability, traces: undefined } })).toEqual([noTraces]);
  });

  it("refuse sampled logs, a trace rate out of range, invocation logs and unredacted query strings", () => {
    const logs = { enabled: true, invocation_logs: false };
    expect(withObservability({ logs: { ...logs, head_sampling_rate: 0.5 } })).toEqual([
      expect.stringMatching(/^observability.logs.head_sampling_rate must be 1/),
    ]);
    expect(withObservability({ head_sampling_rate: 0.5 })).toHaveLength(1);
    for (const head_sampling_rate of [0, -1, 1.5]) {
      expect(withObservability({ traces: { enabled: true, head_sampling_rate } })).toEqual([
        "observability.traces.head_sampling_rate must be above 0 and at most 1",
      ]);
    }
    expect(withObservability({ logs: { enabled: true } })).toEqual([
      expect.stringMatching(/^observability.logs.invocation_logs must be false/),
    ]);
    expect(withObservability({ redact_query_string: undefined })).toEqual([
      expect.stringMatching(/^observability.redact_query_string must be true/),
    ]);
  });
});

describe("the committed configs", () => {
  it("meet the rules as templates (the site's origin may be the local default until set for a deploy)", () => {
    const apiConfig = readWorkerConfigFile("wrangler.toml");
    expect(apiConfigProblems(apiConfig, { hasScheduledHandler: false })).toEqual([]);
    const siteConfig = readWorkerConfigFile("site/wrangler.jsonc");
    expect(siteConfigProblems(siteConfig, { apiName: "todo-api", allowLocalOrigin: true })).toEqual(
      [],
    );
  });
});

describe("the auth database's deployed migrations", () => {
  it("refuse a migration that creates the local-only dev mailbox", () => {
    const problem = "0003_x.sql creates the dev mailbox, which is local only (migrations/auth-dev)";
    for (const sql of [
      'create table "dev_mailbox" ("id" integer);',
      "CREATE TABLE IF NOT EXISTS dev_mailbox (id integer);",
      "-- a comment\ncreate   table\n`dev_mailbox` (id integer);",
    ]) {
      expect(deployedMigrationProblems([{ name: "0003_x.sql", sql }])).toEqual([problem]);
    }
    expect(
      deployedMigrationProblems([
        { name: "0008_drop.sql", sql: 'drop table if exists "dev_mailbox";' },
        { name: "0001_auth.sql", sql: 'create table "user" ("id" text);' },
      ]),
    ).toEqual([]);
  });

  it("hold for the committed folder: the deployed auth database gets no dev_mailbox", () => {
    const [auth] = readWorkerConfig("site/wrangler.jsonc").d1Databases;
    const dir = auth?.migrationsDir ?? "";
    expect(dir).toMatch(/migrations\/auth$/);
    const files = readdirSync(dir)
      .filter((name) => name.endsWith(".sql"))
      .map((name) => ({ name, sql: readFileSync(path.join(dir, name), "utf8") }));
    expect(files.length).toBeGreaterThan(0);
    expect(deployedMigrationProblems(files)).toEqual([]);
  });
});
