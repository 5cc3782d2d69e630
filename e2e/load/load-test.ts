/**
 * `npm run test:load`: four users, two on each shard (tokens with a `shard` claim), hammer
 * the API's production bundle on workerd with concurrent creates, toggles, edits, deletes
 * and attempts on each other's todos (on their own shard and across); half the creates
 * carry an `Idempotency-Key` and are resent with it (twice at once, then once more), as a
 * client unsure of its answer would. Passes when no answer is a 5xx or unexpected, every
 * resend answers the first todo, each user's stored list and counts equal exactly what the
 * acknowledged responses imply, and each shard's database, read past the API, holds exactly
 * its own users' rows and counts. Reports writes/s per shard and in all. Loopback only,
 * bounded in time (20 s of load).
 */

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SHARDS } from "@todo/worker/shards";
import { mintToken } from "@todo/worker/token";
import { buildWorker } from "../../scripts/lib/build-worker.ts";
import { serveWorker } from "../../scripts/lib/serve-worker.ts";
import { readWorkerConfig } from "../../scripts/lib/worker-config.ts";
import { compare, UserModel } from "./model.ts";

const PORT = 8793;
const CONCURRENCY = 50;
const MAX_REQUESTS = 100_000;
const MAX_SECONDS = 20;
const USERS_PER_SHARD = 2;
const SEED = Number(process.env.LOAD_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator, so a failing run can be replayed with LOAD_SEED. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "create" | "keyed-create" | "toggle" | "edit" | "delete" | "foreign";
type Outcome = { kind: Kind; status: number; ms: number; expected: boolean };

const jwtSecret = randomBytes(48).toString("base64url");
const outdir = mkdtempSync(path.join(tmpdir(), "todo-load-build-"));
const config = readWorkerConfig("wrangler.toml");
console.log("Building the API's production bundle (wrangler deploy --dry-run)…");
const bundle = await buildWorker("wrangler.toml", config.main, outdir);
// The production bundle on workerd with a fresh local D1 per shard, read past it for the checks.
const api = await serveWorker({
  name: config.name,
  bundle,
  config,
  port: PORT,
  env: { JWT_SECRET: jwtSecret, JWT_SECRET_PREVIOUS: "" },
  databases: config.d1Databases,
});
const shardDatabases = SHARDS.map((shard) => {
  const db = api.databases.get(shard.binding);
  if (!db) throw new Error(`wrangler.toml binds no database for shard ${shard.id}`);
  return [shard.id, db] as const;
});

const users = await Promise.all(
  SHARDS.flatMap((shard) =>
    Array.from({ length: USERS_PER_SHARD }, async (_, n) => {
      const id = `load-user-${shard.id}-${n + 1}`;
      const { token } = await mintToken(id, jwtSecret, undefined, shard.id);
      return new UserModel(id, token, shard.id);
    }),
  ),
);
/** Acknowledged writes (creates, toggles, edits, deletes) per shard. */
const writes = new Map<string, number>(SHARDS.map((shard) => [shard.id, 0]));
const WRITE_KINDS = new Set<Kind>(["create", "keyed-create", "toggle", "edit", "delete"]);
const random = seededRandom(SEED);
const outcomes: Outcome[] = [];
let sent = 0;
let titleCounter = 0;
const deadline = Date.now() + MAX_SECONDS * 1000;

function send(
  user: UserModel,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${api.url}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${user.token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One request, chosen at random, and the model updated by its acknowledged answer. */
async function step(user: UserModel, other: UserModel): Promise<Outcome> {
  const started = performance.now();
  const done = (kind: Kind, status: number, expected: boolean): Outcome => ({
    kind,
    status,
    ms: performance.now() - started,
    expected,
  });
  const roll = random();
  const id = roll < 0.3 ? undefined : roll < 0.9 ? user.checkOut(random) : other.checkOut(random);

  if (id === undefined && random() < 0.5) {
    const title = `keyed ${++titleCounter}`;
    const headers = { "Idempotency-Key": `load-${SEED}-${titleCounter}` };
    const resend = async () => {
      const response = await send(user, "POST", "/api/todos", { title }, headers);
      const todo = response.status === 201 ? ((await response.json()) as { id: string }) : null;
      if (!todo) await response.body?.cancel();
      return { status: response.status, id: todo?.id, location: response.headers.get("location") };
    };
    const answers = [...(await Promise.all([resend(), resend()])), await resend()];
    const [first] = answers;
    if (first?.id) user.todos.set(first.id, { title, completed: false });
    const identical = answers.every(
      (answer) =>
        answer.status === 201 &&
        answer.id === first?.id &&
        answer.location === `/api/todos/${first?.id}`,
    );
    return done("keyed-create", first?.status ?? 0, identical);
  }

  if (id === undefined) {
    const title = `todo ${++titleCounter}`;
    const response = await send(user, "POST", "/api/todos", { title });
    if (response.status === 201) {
      const todo = (await response.json()) as { id: string };
      user.todos.set(todo.id, { title, completed: false });
    } else await response.body?.cancel();
    return done("create", response.status, response.status === 201);
  }

  if (roll >= 0.9) {
    // Someone else's todo: whatever the method, the answer is 404 and nothing changes.
    const method = ["GET", "PATCH", "DELETE"][Math.floor(random() * 3)] as string;
    const body = method === "PATCH" ? { title: "taken over", completed: true } : undefined;
    try {
      const response = await send(user, method, `/api/todos/${id}`, body);
      await response.body?.cancel();
      return done("foreign", response.status, response.status === 404);
    } finally {
      other.release(id);
    }
  }

  try {
    const current = user.todos.get(id);
    if (!current) throw new Error(`model lost ${id}`);
    if (roll < 0.5) {
      const response = await send(user, "PATCH", `/api/todos/${id}`, {
        completed: !current.completed,
      });
      if (response.status === 200) current.completed = !current.completed;
      await response.body?.cancel();
      return done("toggle", response.status, response.status === 200);
    }
    if (roll < 0.7) {
      const title = `edited ${++titleCounter}`;
      const response = await send(user, "PATCH", `/api/todos/${id}`, { title });
      if (response.status === 200) current.title = title;
      await response.body?.cancel();
      return done("edit", response.status, response.status === 200);
    }
    const response = await send(user, "DELETE", `/api/todos/${id}`);
    if (response.status === 204) user.todos.delete(id);
    await response.body?.cancel();
    return done("delete", response.status, response.status === 204);
  } finally {
    user.release(id);
  }
}

async function worker(index: number): Promise<void> {
  while (sent < MAX_REQUESTS && Date.now() < deadline) {
    sent++;
    const user = users[index % users.length] as UserModel;
    const other = users[(index + 1 + (sent % (users.length - 1))) % users.length] as UserModel;
    const outcome = await step(user, other);
    outcomes.push(outcome);
    if (WRITE_KINDS.has(outcome.kind) && outcome.expected) {
      writes.set(user.shard, (writes.get(user.shard) ?? 0) + 1);
    }
  }
}

type ShardRow = {
  userId: string;
  n: number;
  completed: number;
  countedActive: number;
  countedCompleted: number;
};

/**
 * Each shard's database, read past the API: exactly the rows and counts of the users
 * whose token names it, and nothing of anyone else.
 */
async function compareShards(): Promise<{ problems: string[]; stored: Map<string, number> }> {
  const problems: string[] = [];
  const stored = new Map<string, number>();
  for (const [shardId, db] of shardDatabases) {
    const { results } = (await db
      .prepare(
        `SELECT t.user_id AS userId, count(*) AS n, sum(t.completed) AS completed,
                c.active AS countedActive, c.completed AS countedCompleted
         FROM todos t LEFT JOIN todo_counts c ON c.user_id = t.user_id
         WHERE t.user_id LIKE 'load-user-%' GROUP BY t.user_id`,
      )
      .all()) as { results: ShardRow[] };
    const rows = new Map(results.map((row) => [row.userId, row]));
    stored.set(
      shardId,
      results.reduce((sum, row) => sum + row.n, 0),
    );
    for (const user of users) {
      const row = rows.get(user.userId);
      const todos = [...user.todos.values()];
      const done = todos.filter((todo) => todo.completed).length;
      if (user.shard !== shardId) {
        if (row)
          problems.push(
            `${shardId} holds ${row.n} todos of ${user.userId}, homed on ${user.shard}`,
          );
        continue;
      }
      const actual = row
        ? [row.n, row.completed, row.countedActive, row.countedCompleted]
        : [0, 0, 0, 0];
      const expected =
        todos.length === 0 ? [0, 0, 0, 0] : [todos.length, done, todos.length - done, done];
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        problems.push(
          `${shardId}: ${user.userId} stores [rows, completed, counted active, counted completed] ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
        );
      }
    }
  }
  return { problems, stored };
}

type Counts = { active: number; completed: number };

async function storedTodos(user: UserModel) {
  const items: Array<{ id: string; title: string; completed: boolean }> = [];
  let counts: Counts | undefined;
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await send(user, "GET", `/api/todos${query}`);
    const page = (await response.json()) as {
      items: typeof items;
      nextCursor: string | null;
      counts: Counts;
    };
    items.push(...page.items);
    counts ??= page.counts;
    cursor = page.nextCursor;
  } while (cursor);
  return { items, counts };
}

/** The counts the acknowledged state implies, against what the list answered. */
function compareCounts(user: UserModel, counts: Counts | undefined): string[] {
  const todos = [...user.todos.values()];
  const expected = {
    active: todos.filter((todo) => !todo.completed).length,
    completed: todos.filter((todo) => todo.completed).length,
  };
  return JSON.stringify(counts) === JSON.stringify(expected)
    ? []
    : [`${user.userId}: counts ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`];
}

const problems: string[] = [];
try {
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;

  const listed = new Map<UserModel, number>();
  for (const user of users) {
    const list = await storedTodos(user);
    const others = new Set(
      users.filter((other) => other !== user).flatMap((other) => [...other.todos.keys()]),
    );
    problems.push(...compare(user, list.items, others), ...compareCounts(user, list.counts));
    listed.set(user, list.items.length);
  }
  const shards = await compareShards();
  problems.push(...shards.problems);

  const serverErrors = outcomes.filter((outcome) => outcome.status >= 500).length;
  const unexpected = outcomes.filter((outcome) => !outcome.expected);
  if (serverErrors > 0) problems.push(`${serverErrors} answers were 5xx`);
  for (const outcome of unexpected.slice(0, 10)) {
    problems.push(`unexpected ${outcome.status} for a ${outcome.kind}`);
  }

  const latencies = outcomes.map((outcome) => outcome.ms).sort((x, y) => x - y);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const byKind = Object.groupBy(outcomes, (outcome) => outcome.kind);
  console.log(
    `\nLoad test (seed ${SEED}): ${outcomes.length} requests at ${CONCURRENCY} concurrent in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `  ${(outcomes.length / seconds).toFixed(0)} req/s, p50 ${percentile(0.5).toFixed(1)} ms, p99 ${percentile(0.99).toFixed(1)} ms`,
  );
  console.log(
    `  ${Object.entries(byKind)
      .map(([kind, list]) => `${kind} ${list?.length ?? 0}`)
      .join(", ")}`,
  );
  console.log(`  5xx: ${serverErrors}, unexpected answers: ${unexpected.length}`);
  let allWrites = 0;
  for (const shard of SHARDS) {
    const count = writes.get(shard.id) ?? 0;
    allWrites += count;
    const homed = users.filter((user) => user.shard === shard.id);
    console.log(
      `  shard ${shard.id}: ${count} acknowledged writes, ${(count / seconds).toFixed(0)} writes/s; ` +
        `its database holds ${shards.stored.get(shard.id) ?? 0} todos, the acknowledged state ` +
        `${homed.reduce((sum, user) => sum + user.todos.size, 0)}`,
    );
  }
  console.log(
    `  all shards: ${allWrites} acknowledged writes, ${(allWrites / seconds).toFixed(0)} writes/s`,
  );
  for (const user of users) {
    console.log(
      `  ${user.userId} (${user.shard}): acknowledged state holds ${user.todos.size} todos, the API lists ${listed.get(user) ?? 0}`,
    );
  }
} finally {
  await api.close();
  rmSync(outdir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nLoad test FAILED:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  "Load test passed: no 5xx, keyed resends answered their first todo, no lost or phantom writes, exact counts, no data across users or shards.",
);
