import { describe, expect, it } from "vitest";
import { D1Client } from "../src/db/client.ts";
import { todoStore } from "../src/db/todos.ts";
import { newUser, userDatabase } from "./helpers.ts";

type Counts = { active: number; completed: number };
type User = Awaited<ReturnType<typeof newUser>>;

/** The caller's counts by scanning their todos: what `counts` must always equal. */
async function scannedCounts(userId: string): Promise<Counts> {
  const row = await userDatabase(userId)
    .prepare(
      "SELECT coalesce(sum(completed = 0), 0) AS active, coalesce(sum(completed <> 0), 0) AS completed FROM todos WHERE user_id = ?",
    )
    .bind(userId)
    .first<Counts>();
  return row as Counts;
}

async function listedCounts(user: User, query = ""): Promise<Counts> {
  const response = await user.call(`/api/todos${query}`);
  expect(response.status).toBe(200);
  return (await response.json<{ counts: Counts }>()).counts;
}

async function expectExact(user: User, expected?: Counts) {
  const scanned = await scannedCounts(user.id);
  if (expected) expect(scanned).toEqual(expected);
  for (const query of ["", "?status=active", "?status=completed&limit=1"]) {
    expect(await listedCounts(user, query)).toEqual(scanned);
  }
}

/** Inserts `total` todos for `userId` in one statement, every `completedEvery`-th completed. */
async function seed(userId: string, total: number, completedEvery: number) {
  await userDatabase(userId)
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO todos (id, user_id, title, completed, created_at, updated_at)
     SELECT lower(hex(randomblob(16))), ?1, 'seeded ' || i, i % ?3 = 0,
            strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ') FROM n`,
    )
    .bind(userId, total, completedEvery)
    .run();
}

describe("GET /api/todos counts", () => {
  it("answers zero counts for a person without todos", async () => {
    const user = await newUser();
    expect(await listedCounts(user)).toEqual({ active: 0, completed: 0 });
  });

  it("counts every todo of the caller whatever the filter, page or cursor", async () => {
    const user = await newUser();
    const other = await newUser();
    await other.create("Not mine");
    await seed(user.id, 7, 3);
    const page = await user.call("/api/todos?status=completed&limit=1");
    const body = await page.json<{ items: unknown[]; nextCursor: string; counts: Counts }>();
    expect(body.items).toHaveLength(1);
    expect(body.counts).toEqual({ active: 5, completed: 2 });
    expect(await listedCounts(user, `?status=completed&limit=1&cursor=${body.nextCursor}`)).toEqual(
      { active: 5, completed: 2 },
    );
  });

  it("reads the page and the counts in one round trip of at most limit + 3 rows, with 1,000 todos", async () => {
    const user = await newUser();
    await seed(user.id, 1000, 2);
    for (const [status, limit] of [
      ["all", 50],
      ["active", 100],
      ["completed", 1],
    ] as const) {
      const db = new D1Client(userDatabase(user.id), "first-primary");
      const page = await todoStore(db, user.id).list({ status, limit });
      expect(page.items).toHaveLength(limit);
      expect(page.counts).toEqual({ active: 500, completed: 500 });
      expect(db.roundTrips).toHaveLength(1);
      expect(db.roundTrips[0]?.rowsRead).toBeGreaterThan(0);
      expect(db.roundTrips[0]?.rowsRead).toBeLessThanOrEqual(limit + 3);
    }
  });
});

describe("counts stay exact", () => {
  it("under every write path, one at a time", async () => {
    const user = await newUser();
    let [a, b, c] = [
      await user.create("a"),
      await user.create("b", { completed: true }),
      await user.create("c"),
    ];
    await expectExact(user, { active: 2, completed: 1 });
    const keyed = { method: "POST", json: { title: "k" }, headers: { "Idempotency-Key": "k1" } };
    expect((await user.call("/api/todos", keyed)).status).toBe(201);
    expect((await user.call("/api/todos", keyed)).status).toBe(201);
    await expectExact(user, { active: 3, completed: 1 });
    await user.call("/api/todos?status=all", { method: "DELETE" });
    [a, b, c] = [
      await user.create("a"),
      await user.create("b", { completed: true }),
      await user.create("c"),
    ];

    await user.call(`/api/todos/${a.id}`, { method: "PATCH", json: { completed: true } });
    await expectExact(user, { active: 1, completed: 2 });
    await user.call(`/api/todos/${a.id}`, { method: "PATCH", json: { completed: true } });
    await expectExact(user, { active: 1, completed: 2 });
    await user.call(`/api/todos/${c.id}`, { method: "PATCH", json: { title: "edited" } });
    await expectExact(user, { active: 1, completed: 2 });
    await user.call(`/api/todos/${b.id}`, { method: "DELETE" });
    await expectExact(user, { active: 1, completed: 1 });
    await user.call("/api/todos/complete-all", { method: "POST", json: { completed: true } });
    await expectExact(user, { active: 0, completed: 2 });
    await user.call("/api/todos/complete-all", { method: "POST", json: { completed: false } });
    await expectExact(user, { active: 2, completed: 0 });
    await user.call(`/api/todos/${c.id}`, { method: "PATCH", json: { completed: true } });
    await user.call("/api/todos?status=completed", { method: "DELETE" });
    await expectExact(user, { active: 1, completed: 0 });
    await user.call("/api/todos?status=all", { method: "DELETE" });
    await expectExact(user, { active: 0, completed: 0 });
    await user.create("again");
    await user.call("/api/me", { method: "DELETE" });
    await expectExact(user, { active: 0, completed: 0 });
    await user.create("after the erasure", { completed: true });
    await expectExact(user, { active: 0, completed: 1 });
  });

  it("under concurrent mixed writes", async () => {
    const user = await newUser();
    const todos = await Promise.all(
      Array.from({ length: 12 }, (_, i) => user.create(`t${i}`, { completed: i % 2 === 0 })),
    );
    const writes = todos.flatMap((todo, i) => [
      user.call(`/api/todos/${todo.id}`, { method: "PATCH", json: { completed: i % 3 === 0 } }),
      i % 4 === 0 ? user.call(`/api/todos/${todo.id}`, { method: "DELETE" }) : user.create(`n${i}`),
      i % 5 === 0
        ? user.call("/api/todos/complete-all", { method: "POST", json: { completed: true } })
        : user.call(`/api/todos/${todo.id}`, { method: "PATCH", json: { title: `e${i}` } }),
      i === 7 ? user.call("/api/todos?status=completed", { method: "DELETE" }) : user.list(),
    ]);
    await Promise.all(writes);
    await expectExact(user);
    expect(await scannedCounts(user.id)).not.toEqual({ active: 0, completed: 0 });
  });
});
