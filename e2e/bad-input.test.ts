import { describe, expect, it } from "vitest";
import { LOCALHOST_SITE_URL } from "../scripts/lib/local-stack.ts";
import { addTodo, newPerson, shownTitles, signIn, signUp } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("mistakes", () => {
  it("explain a wrong password, keep the email, and let the right one in", async () => {
    const person = newPerson("Typo");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, person);
    await addTodo(page, "Still here");
    await context.clearCookies();

    await signIn(page, { email: person.email, password: "wrong password entirely" });
    await page
      .getByRole("alert")
      .filter({ hasText: /password/i })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.getByLabel("Email").inputValue()).toBe(person.email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");

    await signIn(page, person);
    await page.waitForURL("**/todos");
    expect(await shownTitles(page)).toEqual(["Still here"]);
  });

  it("explain an email that is taken, and a password that is too short, keeping the name and email", async () => {
    const person = newPerson("Twice");
    const first = await (await browser.newContext()).newPage();
    await signUp(first, person);

    const page = await (await browser.newContext()).newPage();
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Someone Else");
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /already|taken|exists/i })
      .waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("Someone Else");
    expect(await page.getByLabel("Email").inputValue()).toBe(person.email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");

    await page.getByLabel("Email").fill(`short-${person.email}`);
    await page.getByLabel("Password").fill("fourteen chars");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /at least 15|too short/i })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-up");

    await page.getByLabel("Password").fill("passwordpassword");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /too common/i })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-up");
  });

  it("explain an empty title and lose nothing already saved", async () => {
    const page = await (await browser.newContext()).newPage();
    await signUp(page, newPerson("Empty"));
    await addTodo(page, "Saved before");

    await page.getByLabel("New todo").fill("   ");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page
      .getByText(/title/i)
      .and(page.getByText(/empty|required|enter/i))
      .first()
      .waitFor();
    expect(await shownTitles(page)).toEqual(["Saved before"]);
  });
});

describe("a form posted from another site", () => {
  it("is refused, and nothing changes", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Victim"));
    await addTodo(page, "Do not touch");

    const response = await context.request.post("/todos", {
      headers: { Origin: "https://evil.example" },
      form: { intent: "add", title: "Injected" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    const signUpAttempt = await context.request.post("/sign-up", {
      headers: { Origin: "https://evil.example" },
      form: { name: "x", email: "evil@example.test", password: "long enough password" },
      maxRedirects: 0,
    });
    expect(signUpAttempt.status()).toBe(403);

    await page.reload();
    expect(await shownTitles(page)).toEqual(["Do not touch"]);
    expect(new URL(page.url()).origin).toBe(LOCALHOST_SITE_URL);
  });
});
