/**
 * A signed-in person's browser without JavaScript, for the site: it keeps cookies, submits
 * forms with their hidden fields and follows the site's 303s by hand.
 */
export class Browser {
  private readonly jar = new Map<string, string>();
  private addForm = new URLSearchParams();
  readonly siteUrl: string;

  constructor(siteUrl: string) {
    this.siteUrl = siteUrl;
  }

  /**
   * Signs a new person up through Better Auth's endpoint (with `headers`, e.g. where the
   * request comes from under bench:geo), then opens /todos, which mints the API token.
   */
  static async signUp(
    siteUrl: string,
    headers: Record<string, string> = {},
  ): Promise<{ browser: Browser; userId: string }> {
    const browser = new Browser(siteUrl);
    const response = await browser.send("/api/auth/sign-up/email", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", Origin: siteUrl },
      body: JSON.stringify({
        name: "Bench User",
        email: `bench-${crypto.randomUUID()}@example.com`,
        password: "plum-orbit-lantern-47",
      }),
    });
    const body = (await response.json()) as { user?: { id?: string } };
    if (!response.ok || !body.user?.id) {
      throw new Error(`sign-up on the site answered ${response.status}: ${JSON.stringify(body)}`);
    }
    await browser.viewTodos();
    return { browser, userId: body.user.id };
  }

  /** The cookies a signed-in browser sends, as one `Cookie` header. */
  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private async send(pathname: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.siteUrl}${pathname}`, {
      ...init,
      headers: { ...init.headers, Cookie: this.cookie },
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  }

  /** GET /todos as a page load; keeps the add form's hidden fields. Returns the page. */
  async viewTodos(): Promise<string> {
    const response = await this.send("/todos");
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET /todos answered ${response.status}`);
    this.addForm = hiddenFields(html, "add");
    return html;
  }

  /** Submits the add form (POST /todos → 303 → GET /todos). */
  async addTodo(title: string): Promise<void> {
    const form = new URLSearchParams(this.addForm);
    form.set("title", title);
    const response = await this.send("/todos", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.siteUrl },
      body: form,
    });
    await response.arrayBuffer();
    const location = response.headers.get("location") ?? "";
    if (response.status !== 303 || new URL(location, this.siteUrl).pathname !== "/todos") {
      throw new Error(`POST /todos answered ${response.status} → ${location}, not a 303 to /todos`);
    }
    await this.viewTodos();
  }
}

/** The hidden inputs of the form whose `intent` is `intent`, as a browser would submit them. */
function hiddenFields(html: string, intent: string): URLSearchParams {
  for (const form of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const fields = new URLSearchParams();
    for (const [tag] of form[1]?.matchAll(/<input\b[^>]*>/g) ?? []) {
      const name = tag.match(/name="([^"]*)"/)?.[1];
      if (name && /type="hidden"/.test(tag)) {
        fields.set(name, decodeEntities(tag.match(/value="([^"]*)"/)?.[1] ?? ""));
      }
    }
    if (fields.get("intent") === intent) return fields;
  }
  throw new Error(`/todos has no form with intent "${intent}"`);
}

const ENTITIES: Record<string, string> = { quot: '"', "#39": "'", lt: "<", gt: ">", amp: "&" };
const decodeEntities = (value: string) =>
  value.replace(/&(quot|#39|lt|gt|amp);/g, (_, name: string) => ENTITIES[name] ?? "");
