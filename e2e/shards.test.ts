import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { SHARDS, type ShardId } from "@todo/worker/shards";
import { describe, expect, inject, it } from "vitest";
import {
  addTodo,
  callApi,
  decodeJwt,
  newPerson,
  shownTitles,
  signUp,
  tokenCookie,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

// One person on each shard: both sign up where local dev says they are (one home), then
// one is moved with `npm run shard:move`, and each keeps seeing exactly their own todos.

const ROOT = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);
const browser = useBrowser();

type Listed = { items: { title: string }[] };

/** The titles the API lists for a token on one shard (an explicit claim, as the site mints). */
async function titlesOn(token: string, shard: ShardId): Promise<string[]> {
  const { sub } = decodeJwt(token).payload as { sub: string };
  const { stdout } = await run(process.execPath, ["scripts/token.ts", sub, "--shard", shard], {
    cwd: ROOT,
    timeout: 30_000,
  });
  const response = await callApi("/api/todos", stdout.trim());
  expect(response.status).toBe(200);
  return ((await response.json()) as Listed).items.map((todo) => todo.title);
}

describe("two people on two shards", () => {
  it("each read and write their own shard, also after one is moved", async () => {
    const persistDir = inject("persistDir");
    const [aliceContext, bobContext] = [await browser.newContext(), await browser.newContext()];
    const [alice, bob] = [await aliceContext.newPage(), await bobContext.newPage()];
    await signUp(alice, newPerson("Alice"));
    await signUp(bob, newPerson("Bob"));
    await addTodo(alice, "Alice before the move");
    await addTodo(bob, "Bob stays");

    const bobToken = (await tokenCookie(bobContext))?.value ?? "";
    const home = (decodeJwt(bobToken).payload as { shard?: ShardId }).shard;
    expect(SHARDS.map((shard) => shard.id)).toContain(home);
    const aliceToken = (await tokenCookie(aliceContext))?.value ?? "";
    expect((decodeJwt(aliceToken).payload as { shard?: ShardId }).shard).toBe(home);
    const away = SHARDS.find((shard) => shard.id !== home)?.id as ShardId;

    const { sub: aliceId } = decodeJwt(aliceToken).payload as { sub: string };
    const { stdout } = await run(process.execPath, ["scripts/shard-move.ts", aliceId, away], {
      cwd: ROOT,
      timeout: 120_000,
      env: { ...process.env, ...(persistDir ? { PERSIST_DIR: persistDir } : {}) },
    });
    expect(stdout).toContain(`Done: 1 todos on ${away}, 0 left on ${home}.`);

    // Alice's next page view mints a token for her new home; her list is all there.
    await alice.reload();
    expect(await shownTitles(alice)).toEqual(["Alice before the move"]);
    const moved = (await tokenCookie(aliceContext))?.value ?? "";
    expect(decodeJwt(moved).payload).toMatchObject({ sub: aliceId, shard: away });
    await addTodo(alice, "Alice after the move");
    await bob.reload();
    expect(await shownTitles(bob)).toEqual(["Bob stays"]);

    expect(await titlesOn(moved, away)).toEqual(["Alice after the move", "Alice before the move"]);
    expect(await titlesOn(moved, home as ShardId)).toEqual([]);
    expect(await titlesOn(bobToken, home as ShardId)).toEqual(["Bob stays"]);
    expect(await titlesOn(bobToken, away)).toEqual([]);
  }, 300_000);
});
