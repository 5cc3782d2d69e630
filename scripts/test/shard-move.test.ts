import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AnyD1Database } from "drizzle-orm/d1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { d1Proxy } from "../lib/d1-proxy.ts";
import { migrateLocalStack } from "../lib/local-migrations.ts";
import { ROOT } from "../lib/process.ts";

// npm run shard:move on local D1 with both shards, as `npm run dev` keeps them.

const run = promisify(execFile);
const NODE = process.execPath;
const USER = "person-to-move";
const OTHER = "person-who-stays";

let persistDir: string;

/** Opens both configs' local databases, runs `work`, and closes them again. */
async function withDatabases<T>(
  work: (api: Record<string, AnyD1Database>, auth: AnyD1Database) => Promise<T>,
): Promise<T> {
  const api = await d1Proxy("wrangler.toml", path.join(persistDir, "api"), false);
  const site = await d1Proxy("site/wrangler.jsonc", path.join(persistDir, "site"), false);
  try {
    return await work(api.env, site.env.AUTH_DB as AnyD1Database);
  } finally {
    await api.dispose();
    await site.dispose();
  }
}

const count = async (db: AnyD1Database | undefined, sql: string, userId: string) =>
  (await db?.prepare(sql).bind(userId).first<{ n: number }>())?.n ?? -1;

beforeAll(async () => {
  persistDir = mkdtempSync(path.join(tmpdir(), "todo-shard-move-test-"));
  await migrateLocalStack(persistDir);
  await withDatabases(async (api, auth) => {
    await auth
      .prepare(
        `INSERT INTO "user" (id, name, email, emailVerified, createdAt, updatedAt, shard)
         VALUES (?1, 'Mover', 'mover@example.com', 0, 0, 0, 'enam')`,
      )
      .bind(USER)
      .run();
    const enam = api.TODOS_ENAM as AnyD1Database;
    for (const [userId, total] of [
      [USER, 120],
      [OTHER, 3],
    ] as const) {
      await enam
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
           INSERT INTO todos (id, user_id, title, completed, created_at, updated_at)
           SELECT lower(hex(randomblob(16))), ?1, 'todo ' || i, i % 4 = 0,
                  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n`,
        )
        .bind(userId, total)
        .run();
    }
    await enam
      .prepare(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, todo_id, response, created_at)
         VALUES (?1, 'k1', 'h', 't', '{}', '2026-01-01T00:00:00.000Z')`,
      )
      .bind(USER)
      .run();
  });
}, 300_000);

afterAll(() => {
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("npm run shard:move", () => {
  it("copies a person's todos and keys to the new shard, sets their home, and deletes the old rows", async () => {
    const { stdout } = await run(NODE, ["scripts/shard-move.ts", USER, "weur"], {
      cwd: ROOT,
      timeout: 120_000,
      env: { ...process.env, PERSIST_DIR: persistDir },
    });
    expect(stdout).toContain("Done: 120 todos on weur, 0 left on enam.");

    await withDatabases(async (api, auth) => {
      const [weur, enam] = [api.TODOS_WEUR, api.TODOS_ENAM];
      const todos = "SELECT count(*) AS n FROM todos WHERE user_id = ?1";
      expect(await count(weur, todos, USER)).toBe(120);
      expect(await count(enam, todos, USER)).toBe(0);
      expect(await count(enam, todos, OTHER)).toBe(3);
      expect(await count(weur, todos, OTHER)).toBe(0);
      const keys = "SELECT count(*) AS n FROM idempotency_keys WHERE user_id = ?1";
      expect(await count(weur, keys, USER)).toBe(1);
      expect(await count(enam, keys, USER)).toBe(0);
      const counts = await weur
        ?.prepare("SELECT active, completed FROM todo_counts WHERE user_id = ?1")
        .bind(USER)
        .first();
      expect(counts).toEqual({ active: 90, completed: 30 });
      const home = await auth.prepare(`SELECT shard FROM "user" WHERE id = ?1`).bind(USER).first();
      expect(home).toEqual({ shard: "weur" });
      const move = await enam
        ?.prepare("SELECT to_shard FROM moves WHERE user_id = ?1")
        .bind(USER)
        .first();
      expect(move).toEqual({ to_shard: "weur" });
    });
  }, 180_000);

  it("refuses an unknown shard and an unknown person, changing nothing", async () => {
    const options = {
      cwd: ROOT,
      timeout: 120_000,
      env: { ...process.env, PERSIST_DIR: persistDir },
    };
    await expect(run(NODE, ["scripts/shard-move.ts", USER, "mars"], options)).rejects.toMatchObject(
      { code: 2 },
    );
    await expect(
      run(NODE, ["scripts/shard-move.ts", "nobody", "enam"], options),
    ).rejects.toMatchObject({ code: 1 });
    await withDatabases(async (api) => {
      expect(
        await count(api.TODOS_WEUR, "SELECT count(*) AS n FROM todos WHERE user_id = ?1", USER),
      ).toBe(120);
    });
  }, 180_000);
});
