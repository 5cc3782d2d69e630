/// <reference lib="dom" />
/**
 * With JavaScript, the todo forms work in place: each is sent with `fetch` to
 * the URL it posts to anyway, asking for the todos fragment, and the answer
 * (the server's list after the action, rendered by the same components)
 * replaces the old one. Focus stays where the person was, and the live region
 * says what changed. Without this file every form still works by POST and
 * redirect (docs/decisions/065-todo-fragments.md, 066-in-place-focus-and-words.md).
 */
import { FRAGMENT_HEADER, TODOS_FRAGMENT } from "../protocol/fragment.ts";

const APP = "[data-todo-app]";
const ITEM = "li.todo";
const NEW_TODO = "new-todo";

/** Where focus was before an action, to put it back (or on a neighbour) after. */
type FocusPlan = { focusedId: string | undefined; ids: string[]; index: number };

/** One request at a time: a second click while one is out is ignored (no double add). */
let busy = false;

const currentApp = () => document.querySelector<HTMLElement>(APP);
const byId = (id: string | undefined) => (id ? document.getElementById(id) : null);
const itemId = (item: Element) =>
  item.querySelector<HTMLInputElement>("input[name=id]")?.value ?? "";

/** The fragment for `url`, "signed-out" when the server redirects (only a lost session does). */
async function fetchFragment(url: string, init: RequestInit = {}) {
  const response = await fetch(url, {
    ...init,
    headers: { [FRAGMENT_HEADER]: TODOS_FRAGMENT },
    redirect: "manual",
    cache: "no-store",
  });
  if (response.type === "opaqueredirect") return "signed-out" as const;
  const html = await response.text();
  const app = new DOMParser().parseFromString(html, "text/html").querySelector<HTMLElement>(APP);
  return app ? { app, ok: response.ok } : undefined;
}

function focusPlan(app: HTMLElement, item: Element | null): FocusPlan {
  const ids = [...app.querySelectorAll(ITEM)].map(itemId);
  const focused = document.activeElement;
  const inside = focused instanceof HTMLElement && app.contains(focused);
  const at = item ?? (inside ? focused.closest(ITEM) : null);
  return {
    focusedId: inside ? focused.id || undefined : undefined,
    ids,
    index: at ? ids.indexOf(itemId(at)) : -1,
  };
}

/** The next todo's checkbox, else the previous one's, else New todo. */
function neighbour(plan: FocusPlan): HTMLElement | null {
  const after = plan.ids.slice(plan.index + 1);
  const before = plan.ids.slice(0, plan.index).reverse();
  for (const id of [...after, ...before]) {
    const box = byId(`done-${id}`);
    if (box) return box;
  }
  return byId(NEW_TODO);
}

function restoreFocus(app: HTMLElement, plan: FocusPlan, intent: string | undefined) {
  const invalid = app.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) return invalid.focus();
  if (intent === "add") return byId(NEW_TODO)?.focus();
  const same = byId(plan.focusedId);
  if (same && app.contains(same)) return same.focus();
  if (plan.index >= 0) return neighbour(plan)?.focus();
  if (plan.focusedId) byId(NEW_TODO)?.focus();
}

/** Puts the new fragment in place, keeping what is typed in forms other than `sent`. */
function swap(old: HTMLElement, next: HTMLElement, plan: FocusPlan, sent?: HTMLFormElement) {
  for (const input of old.querySelectorAll<HTMLInputElement>("input[type=text][id]")) {
    if (input.form === sent || input.value === input.defaultValue) continue;
    const twin = next.querySelector<HTMLInputElement>(`#${CSS.escape(input.id)}`);
    if (twin) twin.value = input.value;
  }
  old.replaceWith(next);
  restoreFocus(next, plan, sent ? formIntent(sent) : undefined);
}

const formIntent = (form: HTMLFormElement) => String(new FormData(form).get("intent") ?? "");
const itemTitle = (item: Element | null) => item?.querySelector("label")?.textContent?.trim();

/** What the action did, in words, before the count. */
function describe(form: HTMLFormElement, data: FormData): string {
  const title = String(data.get("title") ?? "").trim();
  const item = form.closest(ITEM);
  switch (data.get("intent")) {
    case "add":
      return `Added “${title}”`;
    case "edit":
      return `Saved “${title}”`;
    case "delete":
      return `Deleted “${itemTitle(item)}”`;
    case "toggle": {
      // The server's rule: a changed checkbox wins, else the todo flips.
      const was = data.get("was") === "true";
      const checked = data.has("completed");
      const completed = checked !== was ? checked : !was;
      return completed ? `Completed “${itemTitle(item)}”` : `Marked “${itemTitle(item)}” as active`;
    }
    case "complete-all":
      return data.get("completed") === "false" ? "Marked all as active" : "Marked all as complete";
    default:
      return "Cleared completed todos";
  }
}

function announce(words: string, app: HTMLElement) {
  const region = byId("todo-status");
  const count = app.querySelector(".count")?.textContent?.trim();
  if (region) region.textContent = count ? `${words}. ${count}` : words;
}

async function send(form: HTMLFormElement, old: HTMLElement) {
  const data = new FormData(form);
  const body = new URLSearchParams();
  for (const [name, value] of data) if (typeof value === "string") body.append(name, value);
  const plan = focusPlan(old, form.closest(ITEM));
  const words = describe(form, data);
  busy = true;
  old.setAttribute("aria-busy", "true");
  let answer: Awaited<ReturnType<typeof fetchFragment>>;
  try {
    answer = await fetchFragment(form.action, { method: "POST", body });
  } catch {
    // The site itself could not be reached: let the browser send the form and say so.
    form.submit();
    return;
  } finally {
    busy = false;
    old.removeAttribute("aria-busy");
  }
  if (answer === "signed-out") return location.assign("/sign-in");
  // Not a fragment (a refused or failed request): show what the server holds now.
  if (!answer) return location.reload();
  swap(old, answer.app, plan, form);
  // A failure announces itself (its message is an alert).
  if (answer.ok) announce(words, answer.app);
}

async function refresh() {
  const old = currentApp();
  if (!old || busy) return;
  const plan = focusPlan(old, null);
  busy = true;
  try {
    const answer = await fetchFragment(location.href);
    if (answer === "signed-out") return location.assign("/sign-in");
    if (answer && currentApp() === old) swap(old, answer.app, plan);
  } catch {
    // Offline for now: the next visit to the tab tries again.
  } finally {
    busy = false;
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  const app = currentApp();
  if (!(form instanceof HTMLFormElement) || !app?.contains(form)) return;
  event.preventDefault();
  if (!busy) void send(form, app);
});

// Escape in an edit field puts the title back and sends nothing.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Escape" || !(input instanceof HTMLInputElement)) return;
  const title = input.form?.matches(".edit") ? itemTitle(input.closest(ITEM)) : undefined;
  if (title !== undefined) input.value = title;
});

// A tab brought back to the front shows what the server holds now.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void refresh();
});
