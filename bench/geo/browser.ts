import { cookieHeader, keepCookies } from "../lib/site-session.ts";

/** A signed-in person's browser without JavaScript: it keeps cookies and follows 303s. */
export class Browser {
  private readonly jar = new Map<string, string>();
  private addForm = new URLSearchParams();
  private readonly siteUrl: string;

  constructor(siteUrl: string, cookie: string) {
    this.siteUrl = siteUrl;
    for (const pair of cookie.split("; ")) {
      const at = pair.indexOf("=");
      if (at > 0) this.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  private async send(pathname: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.siteUrl}${pathname}`, {
      ...init,
      headers: { ...init.headers, Cookie: cookieHeader(this.jar) },
      redirect: "manual",
    });
    keepCookies(this.jar, response);
    return response;
  }

  /** GET /todos, as a page load; keeps the add form's hidden fields for the next add. */
  async viewTodos(): Promise<void> {
    const response = await this.send("/todos");
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET /todos answered ${response.status}`);
    this.addForm = hiddenFields(html, "add");
  }

  /** Submits the add form (POST /todos → 303), then loads the page it redirects to. */
  async addTodo(title: string): Promise<void> {
    const form = new URLSearchParams(this.addForm);
    form.set("title", title);
    const response = await this.send("/todos", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.siteUrl },
      body: form,
    });
    await response.arrayBuffer();
    const location = response.headers.get("location");
    if (response.status !== 303 || !location) {
      throw new Error(`POST /todos answered ${response.status}, not a 303`);
    }
    if (new URL(location, this.siteUrl).pathname !== "/todos") {
      throw new Error(`POST /todos redirected to ${location}`);
    }
    await this.viewTodos();
  }
}

/** The hidden inputs of the page's form whose `intent` is `intent`, as a browser would submit them. */
function hiddenFields(html: string, intent: string): URLSearchParams {
  for (const form of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const fields = new URLSearchParams();
    for (const input of form[1]?.matchAll(/<input\b[^>]*>/g) ?? []) {
      const tag = input[0];
      const name = tag.match(/name="([^"]*)"/)?.[1];
      if (!name || !/type="hidden"/.test(tag)) continue;
      fields.set(name, decodeEntities(tag.match(/value="([^"]*)"/)?.[1] ?? ""));
    }
    if (fields.get("intent") === intent) return fields;
  }
  throw new Error(`/todos has no form with intent "${intent}"`);
}

const decodeEntities = (value: string) =>
  value
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
