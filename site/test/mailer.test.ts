import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser } from "./browser.ts";
import { mailsTo } from "./mailbox.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

type Received = { headers: IncomingMessage["headers"]; body: Record<string, unknown> };

/** A stand-in for the HTTP email API on 127.0.0.1: records each request, answers `status`. */
async function fakeEmailApi(status = 200) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body: JSON.parse(body) });
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: "sent", echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/emails`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("the HTTP email API adapter, chosen by MAIL_API_KEY", () => {
  let api: Awaited<ReturnType<typeof fakeEmailApi>>;
  let stack: Stack;
  beforeAll(async () => {
    api = await fakeEmailApi();
    stack = await startStack({
      siteVars: {
        MAIL_API_KEY: "re_test_key_0123456789",
        MAIL_FROM: "Todo <todo@example.com>",
        MAIL_API_URL: api.url,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await api?.close();
  });

  it("posts the reset email with the key and the sender, and stores nothing in the dev mailbox", async () => {
    const browser = new Browser(stack, SITE);
    const { email } = await browser.signUp();
    expect((await browser.post("/sign-out", {})).status).toBe(303);
    expect((await browser.post("/forgot-password", { email })).status).toBe(303);
    const sent = await vi.waitFor(
      () => {
        const found = api.received.find(
          (request) =>
            (request.body.to as string[])[0] === email &&
            String(request.body.text).includes("/reset-password?token="),
        );
        if (!found) throw new Error("not sent yet");
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(sent.headers.authorization).toBe("Bearer re_test_key_0123456789");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.body.from).toBe("Todo <todo@example.com>");
    expect(sent.body.subject).toBe("Set a new password for your Todo account");
    expect(sent.body.text).toMatch(new RegExp(`${SITE}/reset-password\\?token=[A-Za-z0-9]{24}`));
    expect(sent.body.html).toMatch(/<a href="http:\/\/127\.0\.0\.1:4321\/reset-password\?token=/);
    expect(Object.keys(sent.body).sort()).toEqual(["from", "html", "subject", "text", "to"]);
    expect(await mailsTo(stack, email, "all")).toEqual([]);
  });
});

describe("when the email API refuses", () => {
  let api: Awaited<ReturnType<typeof fakeEmailApi>>;
  let stack: Stack;
  beforeAll(async () => {
    api = await fakeEmailApi(500);
    stack = await startStack({
      siteVars: {
        MAIL_API_KEY: "re_test_key",
        MAIL_FROM: "todo@example.com",
        MAIL_API_URL: api.url,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await api?.close();
  });

  it("the answer stays the same, and the log names the failure without the email", async () => {
    const browser = new Browser(stack, SITE);
    const { email } = await browser.signUp();
    stack.harness.clearLogs();
    const response = await new Browser(stack, SITE).post("/forgot-password", { email });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/forgot-password?sent");
    const logs = await vi.waitFor(
      () => {
        const all = stack.harness
          .getLogs()
          .map((log) => log.message)
          .join("\n");
        if (!all.includes("mail-failed")) throw new Error("no failure logged yet");
        return all;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(logs).toContain('"message":"The email API answered 500"');
    expect(logs).not.toContain(email);
    expect(logs).not.toContain("reset-password?token");
    expect(logs).not.toContain("verify-email?token");
  });
});

describe("without a mailer on a real origin", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ siteVars: { BETTER_AUTH_URL: "https://todo.example" } });
  });
  afterAll(() => stack?.close());

  it("says plainly that reset by email is not set up, the same for every email", async () => {
    const browser = new Browser(stack, "https://todo.example");
    const { email } = await browser.signUp();
    for (const address of [email, `nobody-${crypto.randomUUID()}@example.com`]) {
      const response = await new Browser(stack, "https://todo.example").post("/forgot-password", {
        email: address,
      });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("This site can&#39;t send email yet");
    }
    expect(await mailsTo(stack, email, "all")).toEqual([]);
  });
});

describe("mail settings", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ siteVars: { MAIL_API_KEY: "re_test_key", MAIL_FROM: "" } });
  });
  afterAll(() => stack?.close());

  it("refuse to serve with an API key but no sender address", async () => {
    const response = await new Browser(stack, SITE).get("/sign-in");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("The site is not set up correctly");
    const logs = stack.harness
      .getLogs()
      .map((log) => log.message)
      .join("\n");
    expect(logs).toContain("MAIL_FROM must be an email address when MAIL_API_KEY is set");
    expect(logs).not.toContain("re_test_key");
  });
});
