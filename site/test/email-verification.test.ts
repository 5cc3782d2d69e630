import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { type Mail, mailsTo, openResetLink, storedIdentifier, waitForMails } from "./mailbox.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { userIdOf } from "./stored.ts";

/** The stored (hashed) name of a person's live verification link row. */
const linkRow = (userId: string) => storedIdentifier(`verify-email-link:${userId}`);

/** Resends allowed per window, per client address and per account. */
const LIMIT = 3;
const PASSWORD = "plum-orbit-lantern-47";
const NEW_PASSWORD = "quiet-harbor-compass-82";
const CONFIRM_BUTTON =
  '<button type="submit" class="button-primary">Confirm email address</button>';
const BAD_LINK = '<h1 id="verify-title">This confirmation link doesn\'t work</h1>';
const RESEND = '<button type="submit" class="button-quiet">Resend link</button>';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

async function signedUp() {
  const browser = new Browser(stack, SITE);
  const { email } = await browser.signUp(undefined, PASSWORD);
  const [mail] = await waitForMails(stack, email, 1, "verify");
  if (!mail) throw new Error("no email");
  return { browser, email, mail, id: await userIdOf(browser) };
}

const linkPath = (mail: Mail) => {
  const url = new URL(mail.link);
  return `${url.pathname}${url.search}`;
};

async function verifiedFlag(id: string): Promise<number> {
  const db = await stack.authDb();
  const row = await db
    .prepare(`SELECT emailVerified AS v FROM "user" WHERE id = ?1`)
    .bind(id)
    .first<{ v: number }>();
  return row?.v ?? -1;
}

/** Opens a link the way a browser does: the GET that moves the token, then the page, then Confirm. */
async function openAndConfirm(browser: Browser, mail: Mail) {
  const opened = await browser.get(linkPath(mail));
  const page = await browser.get("/verify-email");
  const confirmed = await browser.post("/verify-email", { intent: "verify" });
  return { opened, page, confirmed };
}

describe("the link sent at sign-up", () => {
  it("is mailed to the address, in plain text and simple HTML, and the person can use the app meanwhile", async () => {
    const { browser, email, mail, id } = await signedUp();
    expect(mail.to).toBe(email);
    expect(mail.subject).toBe("Confirm your email address for Todo");
    expect(mail.link).toMatch(/^http:\/\/127\.0\.0\.1:4321\/verify-email\?token=[\w.-]+$/);
    expect(mail.text).toContain(mail.link);
    expect(mail.text).toContain("within 24 hours");
    expect(mail.html).toContain(`<a href="${mail.link}">`);
    expect(mail.html).not.toMatch(/<img|<script|utm_/i);
    expect(await verifiedFlag(id)).toBe(0);

    const todos = await browser.get("/todos");
    expect(todos.status).toBe(200);
    const html = await todos.text();
    expect(html).toContain("Confirm your email address");
    expect(html).toContain(RESEND);
    const account = await (await browser.get("/account")).text();
    expect(account).toContain("Not confirmed yet");
    expect(account).toContain(RESEND);
  });

  it("moves the token out of the address into a cookie for the verify page only", async () => {
    const { browser, mail } = await signedUp();
    const opened = await browser.get(linkPath(mail));
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/verify-email");
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = cookieNamed(opened, "todo_verify_link");
    expect(cookie?.value).toBe(new URL(mail.link).searchParams.get("token"));
    expect(cookie?.attributes.get("path")).toBe("/verify-email");
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    const page = await browser.get("/verify-email");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(CONFIRM_BUTTON);
  });

  it("confirms the address on Confirm, not on the GET alone (a link scanner confirms nothing)", async () => {
    const { browser, mail, id } = await signedUp();
    await browser.get(linkPath(mail));
    await browser.get("/verify-email");
    expect(await verifiedFlag(id)).toBe(0);
    const confirmed = await browser.post("/verify-email", { intent: "verify" });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("/verify-email?verified");
    expect(await verifiedFlag(id)).toBe(1);
    expect(await (await browser.get("/verify-email?verified")).text()).toContain(
      "Your email address is confirmed",
    );
    expect(await (await browser.get("/account")).text()).toContain("Confirmed");
    const todos = await (await browser.get("/todos")).text();
    expect(todos).not.toContain("Confirm your email address");
  });

  it("works in another browser, signed out", async () => {
    const { mail, id } = await signedUp();
    const { confirmed } = await openAndConfirm(new Browser(stack, SITE), mail);
    expect(confirmed.status).toBe(303);
    expect(await verifiedFlag(id)).toBe(1);
  });

  it("works once", async () => {
    const { mail, id } = await signedUp();
    expect((await openAndConfirm(new Browser(stack, SITE), mail)).confirmed.status).toBe(303);
    const again = await openAndConfirm(new Browser(stack, SITE), mail);
    expect(again.page.status).toBe(400);
    expect(await again.page.text()).toContain(BAD_LINK);
    expect(again.confirmed.status).toBe(400);
    expect(await verifiedFlag(id)).toBe(1);
  });

  it("stops working when it runs out", async () => {
    const { mail, id } = await signedUp();
    const db = await stack.authDb();
    await db
      .prepare(`UPDATE verification SET expiresAt = ?1 WHERE identifier = ?2`)
      .bind(new Date(Date.now() - 1000).toISOString(), await linkRow(id))
      .run();
    const { page, confirmed } = await openAndConfirm(new Browser(stack, SITE), mail);
    expect(page.status).toBe(400);
    expect(confirmed.status).toBe(400);
    expect(await verifiedFlag(id)).toBe(0);
  });

  it("refuses a forged or altered token, and Better Auth's own endpoints are closed", async () => {
    const { mail, id } = await signedUp();
    const token = new URL(mail.link).searchParams.get("token") ?? "";
    const altered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    const forged = await openAndConfirm(new Browser(stack, SITE), {
      ...mail,
      link: `${SITE}/verify-email?token=${altered}`,
    });
    expect(forged.confirmed.status).toBe(400);
    const direct = await new Browser(stack, SITE).get(`/api/auth/verify-email?token=${token}`);
    expect(direct.status).toBe(404);
    const send = await new Browser(stack, SITE).request("/api/auth/send-verification-email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ email: mail.to }),
    });
    expect(send.status).toBe(404);
    expect(await verifiedFlag(id)).toBe(0);
    expect(await mailsTo(stack, mail.to, "verify")).toHaveLength(1);
  });

  it("keeps the token out of the logs", async () => {
    stack.harness.clearLogs();
    const { mail } = await signedUp();
    const token = new URL(mail.link).searchParams.get("token") ?? "";
    await openAndConfirm(new Browser(stack, SITE), mail);
    await openAndConfirm(new Browser(stack, SITE), mail);
    const logs = stack.harness
      .getLogs()
      .map((log) => log.message)
      .join("\n");
    expect(logs).toContain('"event":"request"');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(mail.to);
  });

  it("keeps no token in the database, only a digest", async () => {
    const { mail, id } = await signedUp();
    const token = new URL(mail.link).searchParams.get("token") ?? "";
    const db = await stack.authDb();
    const { results } = await db
      .prepare(`SELECT identifier, value FROM verification WHERE identifier = ?1`)
      .bind(await linkRow(id))
      .all<{ identifier: string; value: string }>();
    expect(results).toHaveLength(1);
    expect(JSON.stringify(results)).not.toContain(token);
  });
});

describe("Resend link", () => {
  it("sends a new link that replaces the old one", async () => {
    const { browser, email, mail, id } = await signedUp();
    // Better Auth's token is a JWT of the second it was made in: a new second, a new link.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const resent = await browser.post("/verify-email", { intent: "resend", return: "/todos" });
    expect(resent.status).toBe(303);
    expect(resent.headers.get("location")).toBe("/todos?verification-sent");
    expect(await (await browser.get("/todos?verification-sent")).text()).toContain(
      `We sent a new link to ${email}.`,
    );
    const [, second] = await waitForMails(stack, email, 2, "verify");
    if (!second) throw new Error("no second email");
    expect(second.link).not.toBe(mail.link);
    expect((await openAndConfirm(new Browser(stack, SITE), mail)).confirmed.status).toBe(400);
    expect(await verifiedFlag(id)).toBe(0);
    expect((await openAndConfirm(new Browser(stack, SITE), second)).confirmed.status).toBe(303);
    expect(await verifiedFlag(id)).toBe(1);
  });

  it("comes back to /account from there, and sends nothing once the address is confirmed", async () => {
    const { browser, email, mail } = await signedUp();
    const resent = await browser.post("/verify-email", { intent: "resend", return: "/account" });
    expect(resent.headers.get("location")).toBe("/account?verification-sent");
    const elsewhere = await browser.post("/verify-email", {
      intent: "resend",
      return: "https://evil.example/",
    });
    expect(elsewhere.headers.get("location")).toBe("/todos?verification-sent");
    const mails = await waitForMails(stack, email, 3, "verify");
    await openAndConfirm(browser, mails[2] ?? mail);
    const after = await browser.post("/verify-email", { intent: "resend", return: "/account" });
    expect(after.headers.get("location")).toBe("/account");
    expect(await (await browser.get("/account")).text()).not.toContain(RESEND);
    expect(await mailsTo(stack, email, "verify")).toHaveLength(3);
  });

  it("needs a session", async () => {
    const response = await new Browser(stack, SITE).post("/verify-email", {
      intent: "resend",
      return: "/todos",
    });
    expect(response.status).toBe(401);
  });

  it("is limited per account, from every client address", async () => {
    const { email, password } = { ...(await signedUp()), password: PASSWORD };
    const browsers = await Promise.all(
      Array.from({ length: LIMIT + 1 }, async () => {
        const browser = new Browser(stack, SITE);
        await browser.post("/sign-in", { email, password });
        return browser;
      }),
    );
    for (const browser of browsers.slice(0, LIMIT)) {
      const ok = await browser.post("/verify-email", { intent: "resend", return: "/todos" });
      expect(ok.status).toBe(303);
    }
    const refused = await browsers[LIMIT]?.post("/verify-email", {
      intent: "resend",
      return: "/todos",
    });
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused?.text()).toContain("Too many attempts");
    await waitForMails(stack, email, LIMIT + 1, "verify");
    expect(await mailsTo(stack, email, "verify")).toHaveLength(LIMIT + 1);
  });

  it("is limited per client address, across accounts", async () => {
    const people = [];
    for (let i = 0; i <= LIMIT; i++) people.push((await signedUp()).browser);
    const shared = people[0]?.ip ?? "";
    const answers: number[] = [];
    for (const person of people) {
      // Everyone now sends from the first person's network.
      (person as { ip: string }).ip = shared;
      answers.push(
        (await person.post("/verify-email", { intent: "resend", return: "/todos" })).status,
      );
    }
    expect(answers).toEqual([...Array(LIMIT).fill(303), 429]);
  });
});

describe("the notice on /todos", () => {
  it("can be dismissed in this browser, without JavaScript", async () => {
    const { browser } = await signedUp();
    const dismissed = await browser.post("/verify-email", { intent: "dismiss", return: "/todos" });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.get("location")).toBe("/todos");
    const cookie = cookieNamed(dismissed, "todo_verify_notice");
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.has("max-age")).toBe(false);
    expect(await (await browser.get("/todos")).text()).not.toContain("Confirm your email address");
    expect(await (await browser.get("/account")).text()).toContain("Not confirmed yet");
  });
});

describe("password reset and an unconfirmed address", () => {
  it("mails the reset link to the address that signed up, and using it confirms the address", async () => {
    const { email, id } = await signedUp();
    expect((await new Browser(stack, SITE).post("/forgot-password", { email })).status).toBe(303);
    const [reset] = await waitForMails(stack, email, 1, "reset");
    if (!reset) throw new Error("no reset email");
    const url = new URL(reset.link);
    const browser = new Browser(stack, SITE);
    await openResetLink(browser, `${url.pathname}${url.search}`);
    const done = await browser.post("/reset-password", { "new-password": NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(await verifiedFlag(id)).toBe(1);
    const db = await stack.authDb();
    const live = await db
      .prepare(`SELECT count(*) AS n FROM verification WHERE identifier = ?1`)
      .bind(await linkRow(id))
      .first<{ n: number }>();
    expect(live?.n).toBe(0);
  });
});
