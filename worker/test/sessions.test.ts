import { describe, expect, it } from "vitest";
import { parseBookmark, sessionStart } from "../src/db/bookmark.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { failingD1, recordingD1 } from "./d1-doubles.ts";
import { call, newUser, onEveryShard, userDatabase } from "./helpers.ts";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const SHAPED = `00000000-00000001-00000000-${"0".repeat(32)}`;

describe("D1 sessions and bookmarks", () => {
  it("answers every request that ran a query with the session's bookmark", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-d1-bookmark")).toMatch(BOOKMARK);
  });

  it("sends no bookmark when no query ran", async () => {
    const user = await newUser();
    const me = await user.call("/api/me");
    expect(me.status).toBe(200);
    expect(me.headers.get("x-d1-bookmark")).toBeNull();
    const unauthorized = await call("/api/todos");
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("x-d1-bookmark")).toBeNull();
  });

  it("reads a write when the read starts at the write's bookmark", async () => {
    const user = await newUser();
    const created = await user.call("/api/todos", { method: "POST", json: { title: "Seen" } });
    const bookmark = created.headers.get("x-d1-bookmark");
    expect(bookmark).toMatch(BOOKMARK);
    const todo: Todo = await created.json();
    const { db, calls } = recordingD1(userDatabase(user.id));
    const read = await user.call(`/api/todos/${todo.id}`, {
      headers: { "x-d1-bookmark": bookmark as string },
      bindings: onEveryShard(db),
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(todo);
    expect(calls).toEqual([bookmark]);
    expect((read.headers.get("x-d1-bookmark") as string) >= (bookmark as string)).toBe(true);
  });

  it("starts unconstrained without a bookmark", async () => {
    const user = await newUser();
    const { db, calls } = recordingD1(userDatabase(user.id));
    expect((await user.call("/api/todos", { bindings: onEveryShard(db) })).status).toBe(200);
    expect(calls).toEqual(["first-unconstrained"]);
  });

  it.each([
    ["garbage", "not-a-bookmark"],
    ["upper-case hex", SHAPED.toUpperCase().replace("00000001", "0000000A")],
    ["oversized", `${SHAPED}${"0".repeat(120)}`],
    ["a good one with a suffix", `${SHAPED}-x`],
  ])("ignores a %s bookmark and starts at the primary, answering 200", async (_, header) => {
    const user = await newUser();
    await user.create("Still listed");
    const { db, calls } = recordingD1(userDatabase(user.id));
    const response = await user.call("/api/todos", {
      headers: { "x-d1-bookmark": header },
      bindings: onEveryShard(db),
    });
    expect(response.status).toBe(200);
    expect((await response.json<{ items: unknown[] }>()).items).toHaveLength(1);
    expect(calls).toEqual(["first-primary"]);
    expect(response.headers.get("x-d1-bookmark")).toMatch(BOOKMARK);
  });

  it("restarts at the primary when D1 refuses the bookmark, answering 200", async () => {
    const user = await newUser();
    await user.create("Still listed");
    const { db } = failingD1({
      database: userDatabase(user.id),
      failures: 1,
      onlyForBookmarks: true,
      error: () => new Error("D1_ERROR: The bookmark is newer than this database"),
    });
    const response = await user.call("/api/todos", {
      headers: { "x-d1-bookmark": SHAPED },
      bindings: onEveryShard(db),
    });
    expect(response.status).toBe(200);
    expect((await response.json<{ items: unknown[] }>()).items).toHaveLength(1);
    expect(response.headers.get("x-d1-bookmark")).toMatch(BOOKMARK);
  });

  it("restarts at the primary when opening the session at the bookmark throws", async () => {
    const user = await newUser();
    const { db: recording, calls } = recordingD1(userDatabase(user.id));
    const refusing = {
      withSession: (start: string) => {
        if (start === SHAPED) throw new Error("D1_ERROR: invalid bookmark");
        return recording.withSession(start);
      },
    } as unknown as D1Database;
    const response = await user.call("/api/todos", {
      headers: { "x-d1-bookmark": SHAPED },
      bindings: onEveryShard(refusing),
    });
    expect(response.status).toBe(200);
    expect(calls).toEqual(["first-primary"]);
  });
});

describe("sessionStart", () => {
  it("maps the header to where the session starts", () => {
    expect(sessionStart(undefined)).toBe("first-unconstrained");
    expect(sessionStart(SHAPED)).toBe(SHAPED);
    expect(sessionStart("")).toBe("first-primary");
    expect(parseBookmark("x".repeat(129))).toBeUndefined();
  });
});
