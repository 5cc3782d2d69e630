import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { newUser, userDatabase } from "./helpers.ts";

const MINUTE = 60_000;

/** One run of the Cron Trigger, as the runtime would call it, at the time given. */
async function runScheduled(at: Date): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env);
}

async function rows(table: string, userId: string): Promise<number> {
  const row = await userDatabase(userId)
    .prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`)
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

async function erasedAt(userId: string): Promise<Date> {
  const row = await userDatabase(userId)
    .prepare("SELECT erased_at FROM erasures WHERE user_id = ?")
    .bind(userId)
    .first<{ erased_at: string }>();
  if (!row) throw new Error("no erasure recorded");
  return new Date(row.erased_at);
}

describe("DELETE /api/me", () => {
  it("answers 204, deletes the caller's todos and keys, records the erasure, and leaves others alone", async () => {
    const [user, other] = [await newUser(), await newUser()];
    await user.create("mine", { completed: true });
    await user.call("/api/todos", {
      method: "POST",
      json: { title: "keyed" },
      headers: { "Idempotency-Key": "k" },
    });
    const kept = await other.create("theirs");

    const response = await user.call("/api/me", { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(response.headers.get("server-timing")).toMatch(/^d1;dur=[\d.]+,total;dur=[\d.]+$/);
    expect(response.headers.get("x-d1-bookmark")).toMatch(/^[0-9a-f-]+$/);

    expect(await rows("todos", user.id)).toBe(0);
    expect(await rows("todo_counts", user.id)).toBe(0);
    expect(await rows("idempotency_keys", user.id)).toBe(0);
    expect(Date.now() - (await erasedAt(user.id)).getTime()).toBeLessThan(MINUTE);
    expect((await other.list()).items).toEqual([kept]);
  });
});

describe("the scheduled purge", () => {
  it("deletes todos an old token made after the erasure at the next run, and forgets the erasure after 31 minutes", async () => {
    const [user, other] = [await newUser(), await newUser()];
    await user.create("before");
    expect((await user.call("/api/me", { method: "DELETE" })).status).toBe(204);
    const erased = await erasedAt(user.id);

    // The token is still valid, and the request path looks nothing up.
    await user.create("after, with the old token");
    expect(await rows("todos", user.id)).toBe(1);
    const kept = await other.create("someone else's");

    // The next run (at most a minute later) deletes it; the erasure stays recorded.
    await runScheduled(new Date(erased.getTime() + 2 * MINUTE));
    expect(await rows("todos", user.id)).toBe(0);
    expect(await rows("erasures", user.id)).toBe(1);

    await user.create("later still, with the old token");
    await runScheduled(new Date(erased.getTime() + 30 * MINUTE));
    expect(await rows("todos", user.id)).toBe(0);
    expect(await rows("erasures", user.id)).toBe(1);

    await user.create("in the last minute of the old token");
    expect(await rows("todos", user.id)).toBe(1);

    await runScheduled(new Date(erased.getTime() + 31 * MINUTE));
    expect(await rows("todos", user.id)).toBe(0);
    expect(await rows("todo_counts", user.id)).toBe(0);
    expect(await rows("erasures", user.id)).toBe(0);
    expect((await other.list()).items).toEqual([kept]);
  });

  it("sweeps idempotency keys older than 24 hours and keeps younger ones", async () => {
    const user = await newUser();
    for (const key of ["old", "young"]) {
      await user.call("/api/todos", {
        method: "POST",
        json: { title: key },
        headers: { "Idempotency-Key": key },
      });
    }
    const now = Date.now();
    await userDatabase(user.id)
      .prepare("UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND key = 'old'")
      .bind(new Date(now - 24 * 60 * MINUTE - 1000).toISOString(), user.id)
      .run();
    await runScheduled(new Date(now));
    const { results } = await userDatabase(user.id)
      .prepare("SELECT key FROM idempotency_keys WHERE user_id = ?")
      .bind(user.id)
      .all<{ key: string }>();
    expect(results.map((row) => row.key)).toEqual(["young"]);
    expect(await rows("todos", user.id)).toBe(2);
  });
});
