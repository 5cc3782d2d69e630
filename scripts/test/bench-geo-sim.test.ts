import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, type SimulatedWorker, takeTrips } from "../../bench/geo/measure.ts";
import { CF_HEADER, ROUND_TRIPS_HEADER, type SimConfig } from "../../bench/geo/worker/model.ts";
import { withSimulatedD1 } from "../../bench/geo/wrap-bundle.ts";
import { bundleAt } from "../lib/build-worker.ts";
import { readWorkerConfig } from "../lib/worker-config.ts";

/**
 * A Worker that reaches D1 both ways the real ones do: the `env` its handler gets (the API)
 * and `cloudflare:workers`' env, kept once per isolate as Better Auth keeps its database
 * (the site). Each path runs one kind of round trip.
 */
const WORKER = `
import { env } from "cloudflare:workers";
let kept;
export default {
  async fetch(request, workerEnv) {
    kept ??= env.DB;
    const db = workerEnv.DB;
    switch (new URL(request.url).pathname) {
      case "/statement": await db.prepare("select 1").first(); break;
      case "/batch": await db.batch([db.prepare("select 1"), db.prepare("select 2")]); break;
      case "/session-read": await db.withSession("first-unconstrained").prepare("select 1").all(); break;
      case "/kept-session-read": await kept.withSession("first-unconstrained").prepare("select 1").all(); break;
      case "/kept-statement": await kept.prepare("select 1").all(); break;
      case "/near-shard": await workerEnv.NEAR.prepare("select 1").all(); break;
      case "/cf": return new Response(request.cf?.continent ?? "none");
      case "/write-then-read": {
        const session = db.withSession("first-unconstrained");
        await session.prepare("insert into t (v) values (1)").run();
        await session.prepare("select v from t").all();
        break;
      }
    }
    return new Response("ok");
  },
};`;

const FAR: SimConfig = {
  primaryRttMs: 120,
  replicaRttMs: 20,
  lagMs: 60,
  replication: true,
  primaryRttByBinding: { NEAR: 0 },
};
let miniflare: Miniflare;
let worker: SimulatedWorker;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "geo-sim-test-"));
  writeFileSync(path.join(dir, "worker.js"), WORKER);
  const bundle = withSimulatedD1(bundleAt(dir, "worker.js"));
  const { compatibilityDate, compatibilityFlags } = readWorkerConfig("wrangler.toml");
  miniflare = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.WARN),
    workers: [
      {
        config: {
          name: "geo-sim-test",
          compatibilityDate,
          compatibilityFlags,
          manifest: {
            mainModule: bundle.mainModule,
            modules: Object.fromEntries(
              bundle.modules.map((name) => [
                name,
                { type: "esm", contents: readFileSync(path.join(dir, name), "utf8") },
              ]),
            ),
          },
          env: { DB: { type: "d1", id: "geo-sim-test" }, NEAR: { type: "d1", id: "geo-sim-near" } },
        },
      },
    ],
  });
  worker = { url: (await miniflare.ready).origin };
  await (await miniflare.getD1Database("DB")).exec("create table t (v integer)");
  await configure(worker, FAR);
}, 60_000);

afterAll(async () => {
  await miniflare?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** One request; its trips as the bench takes them, and the count its response gave. */
async function action(pathname: string) {
  await takeTrips(worker);
  const response = await fetch(`${worker.url}${pathname}`);
  await response.text();
  const trips = await takeTrips(worker);
  return { trips, header: Number(response.headers.get(ROUND_TRIPS_HEADER)) };
}
const took = (trip: { start: number; end: number }) => trip.end - trip.start;

describe("the simulated D1 of bench:geo", () => {
  it("delays a statement and a batch outside a session as primary round trips", async () => {
    for (const pathname of ["/statement", "/batch", "/kept-statement"]) {
      const { trips, header } = await action(pathname);
      expect(
        trips.map((t) => t.served),
        pathname,
      ).toEqual(["primary"]);
      expect(header, pathname).toBe(1);
      expect(took(trips[0] as never)).toBeGreaterThanOrEqual(FAR.primaryRttMs);
    }
  });

  it("delays a session read at a replica, through the handler's env and a kept binding alike", async () => {
    for (const pathname of ["/session-read", "/kept-session-read", "/kept-session-read"]) {
      const { trips, header } = await action(pathname);
      expect(
        trips.map((t) => t.served),
        pathname,
      ).toEqual(["replica"]);
      expect(header, pathname).toBe(1);
      expect(took(trips[0] as never)).toBeGreaterThanOrEqual(FAR.replicaRttMs);
    }
  });

  it("sends a write to the primary and makes the read after it wait for the replica", async () => {
    const { trips, header } = await action("/write-then-read");
    expect(trips.map((t) => t.served)).toEqual(["primary", "replica"]);
    expect(header).toBe(2);
    expect(trips[1]?.lagWaitMs).toBeGreaterThan(0);
    expect(took(trips[1] as never)).toBeGreaterThanOrEqual(
      FAR.replicaRttMs + (trips[1]?.lagWaitMs ?? 0),
    );
  });

  it("applies new settings to bindings kept from earlier requests", async () => {
    await configure(worker, { ...FAR, replication: false });
    try {
      const { trips } = await action("/kept-session-read");
      expect(trips.map((t) => t.served)).toEqual(["primary"]);
      expect(took(trips[0] as never)).toBeGreaterThanOrEqual(FAR.primaryRttMs);
    } finally {
      await configure(worker, FAR);
    }
  });

  it("gives a binding its own primary RTT, and a request the `cf` the bench names", async () => {
    const near = await action("/near-shard");
    expect(near.trips.map((t) => [t.binding, t.served])).toEqual([["NEAR", "primary"]]);
    expect(took(near.trips[0] as never)).toBeLessThan(FAR.primaryRttMs);
    const far = await action("/statement");
    expect(far.trips.map((t) => t.binding)).toEqual(["DB"]);
    const located = await fetch(`${worker.url}/cf`, {
      headers: { [CF_HEADER]: '{"continent":"EU"}' },
    });
    expect(await located.text()).toBe("EU");
  });
});
