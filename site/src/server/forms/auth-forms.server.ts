import { isAPIError } from "better-auth/api";
import type { Auth } from "../auth/better-auth.server.ts";
import {
  type AuthAttempt,
  limitAuthAttempt,
  type RateLimit,
  rateLimitMessage,
} from "../auth/rate-limit.server.ts";

/** What the sign-in and sign-up pages show after a POST that did not succeed. */
export type FormFailure = {
  status: number;
  message: string;
  values: { name: string; email: string };
  headers?: Record<string, string>;
};

/** A POST either redirects (with the session and token cookies) or fails with a message. */
export type FormResult = { redirect: Response } | { failure: FormFailure };

/** Puts a failed form's status and headers (a 429's `Retry-After`) on the page's response. */
export function answerWithFailure(
  response: { status?: number; headers: Headers },
  failure: { status: number; headers?: Record<string, string> },
): void {
  response.status = failure.status;
  for (const [name, value] of Object.entries(failure.headers ?? {})) {
    response.headers.set(name, value);
  }
}

/** Better Auth error codes, in plain words. */
const MESSAGES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "Invalid email or password. Check both and try again.",
  USER_ALREADY_EXISTS:
    "That email is already taken: an account with it exists. Sign in instead, or use another email.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL:
    "That email is already taken: an account with it exists. Sign in instead, or use another email.",
  PASSWORD_TOO_SHORT: "Password too short: use at least 8 characters.",
  PASSWORD_TOO_LONG: "Password too long: use at most 128 characters.",
  INVALID_EMAIL: "Enter a valid email address, like name@example.com.",
};

const text = (form: FormData, field: string) => {
  const value = form.get(field);
  return typeof value === "string" ? value : "";
};

/** What a form handler needs from the request and the bindings. */
type Context = { auth: Auth; db: D1Database; request: Request; limit: RateLimit };

async function submit(
  context: Context,
  attempt: AuthAttempt,
  validate: (input: { name: string; email: string; password: string }) => string | undefined,
  call: (input: { name: string; email: string; password: string }) => Promise<{ headers: Headers }>,
): Promise<FormResult> {
  const form = await context.request.formData().catch(() => new FormData());
  const values = { name: text(form, "name").trim(), email: text(form, "email").trim() };
  const fail = (status: number, message: string, headers?: Record<string, string>): FormResult => ({
    failure: { status, message, values, ...(headers ? { headers } : {}) },
  });

  const limited = await limitAuthAttempt(context.db, attempt, context.request, context.limit);
  if (!limited.allowed) {
    const wait = limited.retryAfterSeconds;
    return fail(429, rateLimitMessage(wait), { "Retry-After": String(wait) });
  }
  const input = { ...values, password: text(form, "password") };
  const invalid = validate(input);
  if (invalid) return fail(400, invalid);
  try {
    const { headers } = await call(input);
    const redirect = new Response(null, { status: 303, headers: { Location: "/todos" } });
    for (const cookie of headers.getSetCookie()) redirect.headers.append("Set-Cookie", cookie);
    return { redirect };
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = (error.body as { code?: string } | undefined)?.code ?? "";
    const status = code === "INVALID_EMAIL_OR_PASSWORD" ? 401 : error.statusCode;
    return fail(
      status,
      MESSAGES[code] ?? "That did not work. Please check the form and try again.",
    );
  }
}

const required = (value: string, message: string) => (value === "" ? message : undefined);

/** Handles the sign-in form: rate limit, then Better Auth; the token cookie comes with the session. */
export function signInWithForm(context: Context): Promise<FormResult> {
  return submit(
    context,
    "sign-in",
    ({ email, password }) =>
      required(email, "Enter your email address.") ?? required(password, "Enter your password."),
    ({ email, password }) =>
      context.auth.api.signInEmail({
        body: { email, password },
        headers: context.request.headers,
        returnHeaders: true,
      }),
  );
}

/** Handles the sign-up form: rate limit, then Better Auth, which signs the new person in. */
export function signUpWithForm(context: Context): Promise<FormResult> {
  return submit(
    context,
    "sign-up",
    ({ name, email, password }) =>
      required(name, "Enter your name.") ??
      required(email, "Enter your email address.") ??
      required(password, "Choose a password of at least 8 characters."),
    ({ name, email, password }) =>
      context.auth.api.signUpEmail({
        body: { name, email, password },
        headers: context.request.headers,
        returnHeaders: true,
      }),
  );
}
