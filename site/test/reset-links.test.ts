import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { type Mail, mailsTo, openResetLink, resetLink, waitForMails } from "./mailbox.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { userIdOf } from "./stored.ts";

const NEW_PASSWORD = "velvet-harbour-compass-19";
const BAD_LINK = '<h1 id="reset-title">This reset link doesn\'t work</h1>';
const SENT = "/forgot-password?sent";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const forgot = (email: string) => new Browser(stack, SITE).post("/forgot-password", { email });

/** Asks for a link and returns the newest mail once it arrived (the `nth` for this address). */
async function askForLink(email: string, nth = 1): Promise<Mail & { path: string; token: string }> {
  expect((await forgot(email)).status).toBe(303);
  const mails = await waitForMails(stack, email, nth);
  const mail = mails[nth - 1];
  if (!mail) throw new Error("no email");
  return { ...mail, ...resetLink(mail) };
}

/** Whether a link still leads to the Set new password form. */
const linkWorks = async (path: string) =>
  (await openResetLink(new Browser(stack, SITE), path)).status === 200;

async function verificationRows() {
  const db = await stack.authDb();
  const { results } = await db
    .prepare("SELECT identifier, value FROM verification")
    .all<{ identifier: string; value: string }>();
  return results;
}
const linksOf = async (userId: string) =>
  (await verificationRows()).filter((row) => row.value === userId).length;

async function signedUp() {
  const browser = new Browser(stack, SITE);
  const { email, password } = await browser.signUp();
  return { browser, email, password, id: await userIdOf(browser) };
}

describe("reset links", () => {
  it("are stored hashed: the verification table holds no usable token", async () => {
    const { email } = await signedUp();
    const { token, path } = await askForLink(email);
    const rows = await verificationRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.identifier).not.toContain(token);
      expect(row.value).not.toContain(token);
    }
    const db = await stack.authDb();
    const { results } = await db.prepare("SELECT * FROM verification").all();
    expect(JSON.stringify(results)).not.toContain(token);
    // A stored identifier used as a token opens nothing.
    for (const row of rows) {
      const stolen = row.identifier.replace(/^reset-password:/, "");
      for (const guess of [stolen, stolen.replace(/^#/, "")]) {
        expect(await linkWorks(`/reset-password?token=${encodeURIComponent(guess)}`)).toBe(false);
      }
    }
    expect(await linkWorks(path)).toBe(true);
  });

  it("are one per person: a new link ends the older one", async () => {
    const { email, id } = await signedUp();
    const first = await askForLink(email, 1);
    const second = await askForLink(email, 2);
    expect(await linkWorks(first.path)).toBe(false);
    expect(await linkWorks(second.path)).toBe(true);
    expect(await linksOf(id)).toBe(1);
  });

  it("all end with a password change on /account", async () => {
    const { browser, email, password, id } = await signedUp();
    const link = await askForLink(email);
    const changed = await browser.post("/account", {
      intent: "change-password",
      "current-password": password,
      "new-password": NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect(await linkWorks(link.path)).toBe(false);
    expect(await linksOf(id)).toBe(0);
  });

  it("all end with Sign out everywhere", async () => {
    const { browser, email, id } = await signedUp();
    const link = await askForLink(email);
    expect((await browser.post("/account", { intent: "sign-out-everywhere" })).status).toBe(303);
    expect(await linkWorks(link.path)).toBe(false);
    expect(await linksOf(id)).toBe(0);
  });

  it("all end with the account's deletion", async () => {
    const { browser, email, password, id } = await signedUp();
    const link = await askForLink(email);
    expect((await browser.post("/account", { password })).status).toBe(303);
    expect(await linksOf(id)).toBe(0);
    expect(await linkWorks(link.path)).toBe(false);
  });

  it("all end with a successful reset", async () => {
    const { email, id } = await signedUp();
    const link = await askForLink(email);
    const browser = new Browser(stack, SITE);
    await openResetLink(browser, link.path);
    const done = await browser.post("/reset-password", { "new-password": NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(await linksOf(id)).toBe(0);
  });
});

describe("following a reset link", () => {
  it("moves the token out of the URL into a short-lived cookie of the reset page, spending nothing", async () => {
    const { email } = await signedUp();
    const link = await askForLink(email);
    const browser = new Browser(stack, SITE);
    // As a mail client opens it: a top-level navigation from another site, no JavaScript.
    const moved = await browser.request(link.path, {
      headers: {
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
        referer: "https://mail.example/inbox/42",
      },
    });
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe("/reset-password");
    expect(moved.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = cookieNamed(moved, "todo_reset");
    expect(cookie?.value).toBe(link.token);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    expect(cookie?.attributes.get("path")).toBe("/reset-password");
    expect(cookie?.attributes.has("domain")).toBe(false);
    const maxAge = Number(cookie?.attributes.get("max-age"));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(15 * 60);

    const page = await browser.request("/reset-password", {
      headers: { "sec-fetch-site": "cross-site", referer: "https://mail.example/inbox/42" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/reset-password"');
    expect(html).not.toContain(link.token);

    // Opening the link (a mail scanner does) spent nothing: it still works, twice over.
    expect(await linkWorks(link.path)).toBe(true);
    const done = await browser.post("/reset-password", { "new-password": NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(cookieNamed(done, "todo_reset")?.attributes.get("max-age")).toBe("0");
    expect(await linkWorks(link.path)).toBe(false);
  });

  it("takes the form's own post, which a no-referrer page sends with Origin: null", async () => {
    const { email } = await signedUp();
    const link = await askForLink(email);
    const send = async (headers: Record<string, string>) => {
      const browser = new Browser(stack, SITE);
      await openResetLink(browser, link.path);
      return browser.request("/reset-password", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ "new-password": NEW_PASSWORD }).toString(),
      });
    };
    // Another site cannot claim Fetch Metadata: an opaque origin from it stays refused.
    expect((await send({ origin: "null", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await send({ origin: "null" })).status).toBe(403);
    expect((await send({ origin: "null", "sec-fetch-site": "same-origin" })).status).toBe(303);
  });

  it("never takes the token from the form or the query on a POST", async () => {
    const { email, password } = await signedUp();
    const link = await askForLink(email);
    const stranger = new Browser(stack, SITE);
    const posted = await stranger.post(link.path, {
      token: link.token,
      "new-password": NEW_PASSWORD,
    });
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain(BAD_LINK);
    const signIn = await new Browser(stack, SITE).post("/sign-in", { email, password });
    expect(signIn.status).toBe(303);
  });
});

describe("reset emails", () => {
  it("are at most 3 per address an hour, from any client address, with the same answer", async () => {
    const { email } = await signedUp();
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    for (const address of [email, unknown]) {
      for (let ask = 0; ask < 5; ask++) {
        const response = await forgot(address);
        expect(response.status).toBe(303);
        expect(response.headers.get("location")).toBe(SENT);
      }
    }
    await waitForMails(stack, email, 3);
    // Later asks are answered alike and mail nothing more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailsTo(stack, email)).toHaveLength(3);
    expect(await mailsTo(stack, unknown)).toHaveLength(0);
  });
});
