import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, uniqueIp } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { todosInApi, userIdOf, usersWithEmail } from "./stored.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const KiB = 1024;
const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

/** A urlencoded form whose `padding` field makes it about `size` bytes in all. */
const paddedForm = (fields: Record<string, string>, size: number) =>
  new URLSearchParams({ ...fields, padding: "a".repeat(size - 200) }).toString();

/** JSON whose `padding` field makes it about `size` bytes in all. */
const paddedJson = (fields: Record<string, string>, size: number) =>
  JSON.stringify({ ...fields, padding: "a".repeat(size - 200) });

/** A stream body: sent chunked, with no Content-Length. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 16 * KiB));
      at += 16 * KiB;
    },
  });
  return body;
}

const post = (browser: Browser, path: string, type: string, body: BodyInit, extra = {}) =>
  browser.request(path, {
    method: "POST",
    headers: { origin: SITE, "content-type": type },
    body,
    ...extra,
  });

type Answer = { status: number; type: string; nosniff: string; body: string };

/**
 * POSTs over a socket of its own and never finishes the body: only `sent` goes
 * out (nothing, or part of a chunked body). An answer at all proves the site
 * answered without reading the rest. `headers` without Content-Length = chunked.
 */
async function postUnfinished(
  path: string,
  headers: Record<string, string>,
  sent = "",
): Promise<Answer> {
  const { url } = await stack.harness.listen();
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, url), {
      method: "POST",
      headers: { host: new URL(SITE).host, origin: SITE, ...headers },
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          type: String(response.headers["content-type"]),
          nosniff: String(response.headers["x-content-type-options"]),
          body,
        });
      });
    });
    request.on("error", reject);
    request.flushHeaders();
    if (sent) request.write(sent);
  });
}

/** Headers that promise a 2 MiB body of `type` from a client address. */
const promising2MiB = (type: string, ip: string) => ({
  "content-type": type,
  "content-length": String(2048 * KiB),
  "cf-connecting-ip": ip,
});

/** Attempts counted against a client address: a body that was never read counts none. */
async function attemptsFrom(ip: string): Promise<number> {
  const row = await (await stack.authDb())
    .prepare("SELECT count(*) AS n FROM auth_rate_limit WHERE key LIKE ?1")
    .bind(`%:${ip}`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const expectTooLargePage = (answer: Answer) => {
  expect(answer.status).toBe(413);
  expect(answer.type).toMatch(/^text\/html/);
  expect(answer.nosniff).toBe("nosniff");
  expect(answer.body).toContain("too large");
};

const expectTooLargeJson = (answer: Answer) => {
  expect(answer.status).toBe(413);
  expect(answer.type).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
};

describe("a request body over 64 KiB", () => {
  it("on the sign-up and sign-in forms gets a 413 page before it is sent; no attempt counted", async () => {
    const ip = uniqueIp();
    expectTooLargePage(await postUnfinished("/sign-up", promising2MiB(FORM, ip)));
    expectTooLargePage(await postUnfinished("/sign-in", promising2MiB(FORM, ip)));
    expect(await attemptsFrom(ip)).toBe(0);
  });

  it("on /api/auth/* gets a JSON 413 before it is sent; no attempt counted", async () => {
    const ip = uniqueIp();
    expectTooLargeJson(
      await postUnfinished("/api/auth/sign-up/email", promising2MiB(JSON_TYPE, ip)),
    );
    expectTooLargeJson(
      await postUnfinished("/api/auth/sign-in/email", promising2MiB(JSON_TYPE, ip)),
    );
    expect(await attemptsFrom(ip)).toBe(0);
  });

  it("on the todos form gets a 413 page before it is sent, and adds nothing", async () => {
    const { browser } = await createUser(stack);
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const headers = { ...promising2MiB(FORM, browser.ip), cookie };
    expectTooLargePage(await postUnfinished("/todos", headers, "intent=add&title=Too+big"));
    expect(await todosInApi(stack, await userIdOf(browser))).toEqual([]);
  });

  it("sent chunked without Content-Length gets a 413 once 64 KiB are read, and changes nothing", async () => {
    const { browser } = await createUser(stack);
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const todo = paddedForm({ intent: "add", title: "Chunked" }, 80 * KiB);
    const form = { "content-type": FORM, cookie, "cf-connecting-ip": browser.ip };
    expectTooLargePage(await postUnfinished("/todos", form, todo));
    expect(await todosInApi(stack, await userIdOf(browser))).toEqual([]);

    const ip = uniqueIp();
    const email = `chunked-${crypto.randomUUID()}@example.com`;
    const fields = { name: "Chunked", email, password: "correct horse battery" };
    const signUp = { "content-type": FORM, "cf-connecting-ip": ip };
    expectTooLargePage(await postUnfinished("/sign-up", signUp, paddedForm(fields, 80 * KiB)));
    const json = { "content-type": JSON_TYPE, "cf-connecting-ip": ip };
    const body = paddedJson(fields, 80 * KiB);
    expectTooLargeJson(await postUnfinished("/api/auth/sign-up/email", json, body));
    expect(await usersWithEmail(stack, email)).toBe(0);
  });
});

/** A body sent in chunks with no Content-Length, and the init it needs. */
const spread = (text: string) => [chunked(text), { duplex: "half" }] as const;

describe("a request body of 60 KiB", () => {
  it("is accepted where it is valid: a todo, a sign-up through the form and through /api/auth", async () => {
    const browser = new Browser(stack, SITE);
    const email = `sixty-${crypto.randomUUID()}@example.com`;
    const fields = { name: "Sixty", email, password: "correct horse battery" };
    expect((await post(browser, "/sign-up", FORM, paddedForm(fields, 60 * KiB))).status).toBe(303);
    expect(await usersWithEmail(stack, email)).toBe(1);

    const add = paddedForm({ intent: "add", title: "Sixty" }, 60 * KiB);
    expect((await post(browser, "/todos", FORM, add)).status).toBe(303);
    const chunkedAdd = paddedForm({ intent: "add", title: "Chunked sixty" }, 60 * KiB);
    expect((await post(browser, "/todos", FORM, ...spread(chunkedAdd))).status).toBe(303);
    expect(await todosInApi(stack, await userIdOf(browser))).toEqual(["Chunked sixty", "Sixty"]);

    const other = new Browser(stack, SITE);
    const apiEmail = `sixty-${crypto.randomUUID()}@example.com`;
    const json = paddedJson(
      { name: "Sixty", email: apiEmail, password: "correct horse battery" },
      60 * KiB,
    );
    expect((await post(other, "/api/auth/sign-up/email", JSON_TYPE, json)).status).toBe(200);
    expect(await usersWithEmail(stack, apiEmail)).toBe(1);
  });
});
