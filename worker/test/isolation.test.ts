import { beforeEach, describe, expect, it } from "vitest";
import type { Todo } from "../src/schemas/todo.ts";
import { newUser } from "./helpers.ts";

type User = Awaited<ReturnType<typeof newUser>>;

describe("one user's todos, seen by another", () => {
  let alice: User;
  let bob: User;
  let alicesTodo: Todo;

  beforeEach(async () => {
    alice = await newUser();
    bob = await newUser();
    alicesTodo = await alice.create("Alice's secret", { description: "private" });
  });

  const expectNotFound = async (response: Response) => {
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Not found" } });
  };

  const expectUnchanged = async () => {
    const response = await alice.call(`/api/todos/${alicesTodo.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(alicesTodo);
  };

  it("is a 404 (never 403) on GET", async () => {
    await expectNotFound(await bob.call(`/api/todos/${alicesTodo.id}`));
  });

  it("is a 404 on PATCH, and stays unchanged", async () => {
    await expectNotFound(
      await bob.call(`/api/todos/${alicesTodo.id}`, {
        method: "PATCH",
        json: { title: "hacked", completed: true },
      }),
    );
    await expectUnchanged();
  });

  it("is a 404 on DELETE, and stays in place", async () => {
    await expectNotFound(await bob.call(`/api/todos/${alicesTodo.id}`, { method: "DELETE" }));
    await expectUnchanged();
  });

  it("never shows up in the other user's lists", async () => {
    const bobsTodo = await bob.create("Bob's");
    for (const status of ["all", "active", "completed"]) {
      const ids = (await bob.list(`?status=${status}`)).items.map((todo) => todo.id);
      expect(ids).not.toContain(alicesTodo.id);
    }
    expect((await bob.list()).items).toEqual([bobsTodo]);
    expect((await alice.list()).items).toEqual([alicesTodo]);
  });

  it("cannot be reached through another user's cursor", async () => {
    await alice.create("second");
    const alicesPage = await alice.list("?limit=1");
    const page = await bob.list(`?limit=1&cursor=${alicesPage.nextCursor}`);
    expect(page.items).toEqual([]);
  });
});
