import { env } from "cloudflare:workers";
import type { Auth } from "../auth/better-auth.server.ts";
import type { RateLimit } from "../auth/rate-limit.server.ts";
import { requestAuth } from "../auth/request-auth.server.ts";

/** What a form handler needs from the request and the bindings. */
export type FormContext = {
  auth: Auth;
  db: D1Database;
  request: Request;
  limit: RateLimit;
  /** BETTER_AUTH_SECRET, for the account key (account-key.server.ts). */
  secret: string;
};

/** A form that did not succeed: the page shows `message` with this status (and headers, a 429's `Retry-After`). */
export type FormFailure = { status: number; message: string; headers?: Record<string, string> };

/** A POST either redirects (with its cookies) or fails with a message. */
export type FormResult<F extends FormFailure> = { redirect: Response } | { failure: F };

/** The parts of Astro's page context a form page hands over. */
type FormPage = {
  request: Request;
  locals: App.Locals;
  response: { status?: number; headers: Headers };
};

/**
 * Runs a page's form handler on a POST. A redirect is returned for the page to
 * return; a failure's status and headers are put on the page's response and
 * the failure returned for the page to show. Nothing happens on a GET.
 */
export async function handleFormPost<F extends FormFailure>(
  page: FormPage,
  handle: (context: FormContext) => Promise<FormResult<F>>,
): Promise<Response | F | undefined> {
  if (page.request.method !== "POST") return undefined;
  const result = await handle({
    auth: requestAuth(page.locals),
    db: env.AUTH_DB,
    request: page.request,
    limit: page.locals.config.rateLimit,
    secret: page.locals.config.authSecret,
  });
  if ("redirect" in result) return result.redirect;
  page.response.status = result.failure.status;
  for (const [name, value] of Object.entries(result.failure.headers ?? {})) {
    page.response.headers.set(name, value);
  }
  return result.failure;
}
