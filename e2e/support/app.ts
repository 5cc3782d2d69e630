import type { BrowserContext, Cookie, Page } from "playwright-core";
import { vi } from "vitest";
import { API_URL } from "../../scripts/lib/local-stack.ts";

/** Actions a person takes on the site, by the labels and button texts of the site's pages. */

export type Person = { name: string; email: string; password: string };

export function newPerson(label: string): Person {
  return {
    name: `${label} Tester`,
    email: `${label.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password: "correct horse battery staple",
  };
}

export async function signUp(page: Page, person: Person): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/todos");
}

export async function signIn(page: Page, person: Pick<Person, "email" | "password">) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
}

/** The list item whose checkbox is labelled with this title. */
export const todoItem = (page: Page, title: string) =>
  page
    .getByRole("listitem")
    .filter({ has: page.getByRole("checkbox", { name: title, exact: true }) });

export async function addTodo(page: Page, title: string): Promise<void> {
  await page.getByLabel("New todo").fill(title);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await todoItem(page, title).waitFor();
}

/** Ticks or unticks a todo: the checkbox with JavaScript, its button without. */
export async function toggleTodo(page: Page, title: string, javaScript = true): Promise<void> {
  const checkbox = page.getByRole("checkbox", { name: title, exact: true });
  const was = await checkbox.isChecked();
  if (javaScript) {
    // In place: wait for the answer and for the list it brings to be swapped in.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      checkbox.click(),
    ]);
    await page.waitForFunction(() => !document.querySelector("[data-todo-app][aria-busy]"));
  } else await todoItem(page, title).getByRole("button", { name: "Toggle" }).click();
  // Polled from here, not in the page: without JavaScript the click navigates (POST → 303 →
  // GET), and a function waiting inside the old document may never see the new one.
  await vi.waitFor(
    async () => {
      if ((await checkbox.isChecked()) === was) throw new Error(`"${title}" is not toggled yet`);
    },
    { timeout: 15_000, interval: 100 },
  );
}

export async function editTodo(page: Page, title: string, newTitle: string): Promise<void> {
  const item = todoItem(page, title);
  await item.getByLabel(`Edit ${title}`).fill(newTitle);
  await item.getByRole("button", { name: "Save" }).click();
}

export async function deleteTodo(page: Page, title: string): Promise<void> {
  await todoItem(page, title).getByRole("button", { name: "Delete" }).click();
  await todoItem(page, title).waitFor({ state: "detached" });
  // Without JavaScript the delete navigates (POST → 303 → GET), and the item goes with the
  // old page: read on once the new one has loaded (in place, this returns at once).
  await page.waitForLoadState();
}

/** The titles of the todos the page shows, top to bottom. */
export async function shownTitles(page: Page): Promise<string[]> {
  const labels = await page
    .getByRole("checkbox")
    .evaluateAll((boxes) =>
      boxes.map((box) => (box as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ""),
    );
  return labels.filter((label) => label !== "");
}

export async function itemsLeft(page: Page): Promise<string> {
  return (await page.getByText(/^\s*\d+ items? left\s*$/).textContent())?.trim() ?? "";
}

/** The API token cookie: the site's one cookie whose value is a JWT. */
export async function tokenCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name.endsWith("todo_token"));
}

export function decodeJwt(token: string) {
  const [header, payload] = token
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")));
  return { header, payload };
}

/** Calls the API directly, as any client holding the token could. */
export function callApi(path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return fetch(`${API_URL}${path}`, { ...init, headers });
}
