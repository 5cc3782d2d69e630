import type { AstroCookies } from "astro";
import { isAPIError } from "better-auth/api";
import { consumeVerificationLink } from "../auth/email-verification-links.server.ts";
import {
  hitRateLimit,
  type RateLimit,
  type RateLimitResult,
  rateLimitAddress,
  rateLimitMessage,
  rateLimitRefusal,
} from "../auth/rate-limit.server.ts";
import {
  noticeDismissedCookie,
  VERIFY_PATH,
  verifyTokenCookie,
} from "../auth/verification-cookies.server.ts";
import type { SiteConfig } from "../config.server.ts";
import type { FormContext, FormFailure, FormResult } from "./form-post.server.ts";
import { formText } from "./password-form.server.ts";

export const VERIFY_EMAIL_MESSAGES = {
  notSetUp:
    "This site can't send email yet, so no link can be sent right now. Please try again later.",
  signedOut: "Sign in first, then ask for a new link.",
} as const;

/** Pages a Resend link or Dismiss form may come back to. */
const RETURN_PAGES = new Set(["/todos", "/account"]);
const returnPage = (form: FormData) => {
  const page = formText(form, "return");
  return RETURN_PAGES.has(page) ? page : "/todos";
};

/** Where the verify page lands once the address is confirmed. */
export const EMAIL_VERIFIED = `${VERIFY_PATH}?verified`;

export type VerifyEmailFailure = FormFailure & { badLink: boolean };

type VerifyFormContext = FormContext & {
  config: SiteConfig;
  cookies: AstroCookies;
  user: App.Locals["user"];
};

const redirect = (location: string) =>
  new Response(null, { status: 303, headers: { Location: location } });

/**
 * Handles the forms of the verify page by their `intent`: `verify` (the link's token,
 * held in a cookie, is used up and the address marked verified), `resend` (a new
 * link to the signed-in person; limited like Forgot password, per client address and
 * per account) and `dismiss` (hides the notice on /todos in this browser).
 */
export async function verifyEmailWithForm(
  context: VerifyFormContext,
): Promise<FormResult<VerifyEmailFailure>> {
  const form = await context.request.formData().catch(() => new FormData());
  const intent = formText(form, "intent");
  const fail = (status: number, message: string, badLink = false) => ({
    failure: { status, message, badLink },
  });

  if (intent === "dismiss") {
    const cookie = noticeDismissedCookie(context.config.secure);
    context.cookies.set(cookie.name, cookie.value, cookie.options);
    return { redirect: redirect(returnPage(form)) };
  }

  if (intent === "resend") {
    const { user } = context;
    if (!user) return fail(401, VERIFY_EMAIL_MESSAGES.signedOut);
    const back = returnPage(form);
    if (user.emailVerified) return { redirect: redirect(back) };
    const refused = await limitResend(context.db, context.request, user.id, context.limit);
    if (refused) return { failure: { ...refused, badLink: false } };
    if (context.config.mail.kind === "none") return fail(503, VERIFY_EMAIL_MESSAGES.notSetUp);
    await context.auth.api.sendVerificationEmail({
      body: { email: user.email },
      headers: context.request.headers,
    });
    return { redirect: redirect(`${back}?verification-sent`) };
  }

  const cookie = verifyTokenCookie("", context.config.secure);
  const token = context.cookies.get(cookie.name)?.value ?? "";
  context.cookies.set(cookie.name, cookie.value, cookie.options);
  if (token === "" || !(await consumeVerificationLink(await context.auth.$context, token))) {
    return fail(400, "", true);
  }
  try {
    await context.auth.api.verifyEmail({ query: { token } });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    return fail(400, "", true);
  }
  return { redirect: redirect(EMAIL_VERIFIED) };
}

/** Counts a resend per client address and per account; the refusal when either is spent. */
async function limitResend(
  db: D1Database,
  request: Request,
  userId: string,
  limit: RateLimit,
): Promise<FormFailure | undefined> {
  const address = rateLimitAddress(request.headers.get("cf-connecting-ip"));
  const checks: RateLimitResult[] = [await hitRateLimit(db, `verify-email:${address}`, limit)];
  if (checks[0]?.allowed) checks.push(await hitRateLimit(db, `verify-email-user:${userId}`, limit));
  const refused = checks.find((check) => !check.allowed);
  if (!refused || refused.allowed) return undefined;
  return {
    ...rateLimitRefusal(refused.retryAfterSeconds),
    message: rateLimitMessage(refused.retryAfterSeconds),
  };
}
