/**
 * A tiny stand-in for a browser in the tests: keeps cookies, sends forms the
 * way a browser does (with Origin), follows nothing on its own.
 */
import { FRAGMENT_HEADER, TODOS_FRAGMENT } from "../src/protocol/fragment.ts";
import type { Stack } from "./stack.ts";

export type SetCookie = {
  name: string;
  value: string;
  /** Every attribute, lower-cased name → value ("" for flags like HttpOnly). */
  attributes: Map<string, string>;
  raw: string;
};

export function parseSetCookie(raw: string): SetCookie {
  const [pair = "", ...parts] = raw.split(";").map((part) => part.trim());
  const at = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq === -1) attributes.set(part.toLowerCase(), "");
    else attributes.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  return { name: pair.slice(0, at), value: pair.slice(at + 1), attributes, raw };
}

export const setCookies = (response: Response) =>
  response.headers.getSetCookie().map(parseSetCookie);

export const cookieNamed = (response: Response, name: string) =>
  setCookies(response).find((cookie) => cookie.name === name);

/**
 * A client address no other test of this run uses (198.18.0.0/15, the benchmark
 * range: 131,072 of them), so rate-limit buckets never collide on a shared stack.
 */
let addressesUsed = 0;
export function uniqueIp(): string {
  const n = ++addressesUsed;
  if (n >= 2 ** 17) throw new Error("out of test client addresses");
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip = uniqueIp();

  constructor(
    private readonly stack: Stack,
    private readonly origin: string,
  ) {}

  /** Sends a request with the jar's cookies and stores what comes back. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.cookies.size > 0) {
      headers.set(
        "cookie",
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      );
    }
    const response = await this.stack.site(pathname, { ...init, headers });
    for (const cookie of setCookies(response)) {
      if (cookie.attributes.get("max-age") === "0" || cookie.value === "") {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    return response;
  }

  get(pathname: string): Promise<Response> {
    return this.request(pathname);
  }

  /** Submits a form from one of the site's pages (browsers send Origin on POST). */
  post(pathname: string, fields: Record<string, string>, origin = this.origin): Promise<Response> {
    return this.request(pathname, {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Asks for the todos fragment the way the page's script does: a same-origin
   * `fetch` with the fragment header; with `fields`, a POST of that form.
   */
  fragment(pathname: string, fields?: Record<string, string>, origin = this.origin) {
    const headers: Record<string, string> = {
      [FRAGMENT_HEADER]: TODOS_FRAGMENT,
      "sec-fetch-mode": "cors",
      "sec-fetch-site": origin === this.origin ? "same-origin" : "cross-site",
    };
    if (!fields) return this.request(pathname, { headers });
    return this.request(pathname, {
      method: "POST",
      headers: { ...headers, origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async signUp(
    email = `person-${crypto.randomUUID()}@example.com`,
    password = "correct horse battery",
  ) {
    const response = await this.post("/sign-up", { name: "Test Person", email, password });
    if (response.status !== 303) throw new Error(`sign-up answered ${response.status}`);
    return { email, password, response };
  }
}
