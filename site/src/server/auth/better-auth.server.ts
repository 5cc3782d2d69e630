import { type AuthContext, type BetterAuthOptions, betterAuth } from "better-auth";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { clearedBookmarkCookie } from "../api/bookmark-cookie.server.ts";
import type { SiteConfig } from "../config.server.ts";
import { SSO_FAILED } from "../forms/sso-notices.server.ts";
import { RESET_LINK_MINUTES } from "../mail/reset-password-email.server.ts";
import { VERIFY_LINK_HOURS } from "../mail/verify-email-email.server.ts";
import { authDatabase } from "./auth-database.server.ts";
import { deleteTodosBeforeUser } from "./delete-todos-hook.server.ts";
import {
  type LateContext,
  markVerifiedAfterReset,
  sendVerificationLink,
} from "./email-verification-links.server.ts";
import { homeShardOf } from "./home-shard.server.ts";
import { assignHomeShard } from "./home-shard-hook.server.ts";
import { oidcPlugins } from "./oidc-plugin.server.ts";
import { clearPasskeyChallenge, passkeyPlugin } from "./passkey-plugin.server.ts";
import { passwordHashing, rehashAfterSignIn } from "./password.server.ts";
import { PASSWORD_MAX_UNITS, PASSWORD_MIN_LENGTH } from "./password-rule.ts";
import {
  type AccountRules,
  accountRulesAfter,
  accountRulesBefore,
  forgetAccountFailures,
} from "./password-rules-hook.server.ts";
import { type Background, sendResetLink } from "./send-reset-link.server.ts";
import { sessionCookieOptions } from "./session-cookie.server.ts";
import { addSessionPlace, sessionPlaceFields } from "./session-place.server.ts";
import { noteShortPassword, shortPasswordField } from "./short-password.server.ts";
import { clearedTokenCookie, issueTokenCookie, type TokenCookie } from "./token-cookie.server.ts";
import { endLinksOf, oneLiveLink, verificationStorage } from "./verification-links.server.ts";

/**
 * The options that never change between requests. The migration generator
 * (`scripts/generate-auth-migration.ts`) reads the schema from these too.
 */
export const authOptions = {
  appName: "Todo",
  basePath: "/api/auth",
  emailAndPassword: {
    enabled: true,
    autoSignIn: true,
    // Better Auth counts UTF-16 units; the rule's own hook counts characters.
    minPasswordLength: PASSWORD_MIN_LENGTH,
    maxPasswordLength: PASSWORD_MAX_UNITS,
    password: passwordHashing,
    resetPasswordTokenExpiresIn: RESET_LINK_MINUTES * 60,
    revokeSessionsOnPasswordReset: true,
  },
  // Password reset runs through the /forgot-password and /reset-password pages only,
  // which rate limit it per IP and per email.
  disabledPaths: ["/request-password-reset", "/reset-password"],
  // Verification links are sent and used through /todos, /account and /verify-email
  // only: rate limited, and each link works once (email-verification-links.server.ts).
  emailVerification: {
    sendOnSignUp: true,
    autoSignInAfterVerification: false,
    expiresIn: VERIFY_LINK_HOURS * 3600,
  },
  // Each session keeps the approximate place it was made from, for the account page's list.
  session: { additionalFields: sessionPlaceFields },
  databaseHooks: { session: { create: { before: addSessionPlace } } },
  // Single sign-on joins an existing account only when the provider says the email is
  // verified and the account's own address is confirmed; no provider is trusted blindly.
  account: { accountLinking: { enabled: true, requireLocalEmailVerified: true } },
  // A single sign-on Better Auth refuses before it knows where to go (a forged or
  // replayed state) comes back to /sign-in, which says so, not to Better Auth's own page.
  onAPIError: { errorURL: SSO_FAILED },
  // Asks for the password; createAuth adds the hook that deletes the todos first.
  // `shard`: the person's home shard, set once at sign-up (never from a request body).
  user: {
    deleteUser: { enabled: true },
    additionalFields: {
      shard: { type: "string", required: false, input: false },
      ...shortPasswordField,
    },
  },
  // Sign-in and sign-up are limited per IP in D1 (rate-limit.server.ts), which
  // holds across isolates; Better Auth's own limiter would only count per isolate.
  rateLimit: { enabled: false },
  advanced: {
    ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
    // Migrations are applied by wrangler; never introspect the schema per request.
    // The session and its user in one query (a join) instead of two round trips.
    database: { validateSchema: false, joins: true },
  },
  telemetry: { enabled: false },
  // Its table; createAuth builds it with the relying party of BETTER_AUTH_URL.
  plugins: [passkeyPlugin()],
} as const satisfies BetterAuthOptions;

/** The endpoints that, when they succeed, end this browser's session: its token cookie goes too. */
const ENDS_SESSIONS = new Set(["/delete-user", "/revoke-sessions"]);
/** The endpoints that, when they succeed, end every mailed link of the person. */
const ENDS_LINKS = new Set(["/change-password", "/revoke-sessions"]);

/**
 * The bindings Better Auth needs besides the parsed settings (`API` for account
 * deletion), and the Worker's `waitUntil` for mail sent after the answer.
 */
export type AuthBindings = { AUTH_DB: D1Database; API?: Fetcher; waitUntil: Background };

/**
 * Builds Better Auth from the bindings and settings: once per isolate (see
 * request-auth.server.ts), so it holds nothing of any request. Its database
 * sends each query through the running request's D1 session (auth-database.server.ts).
 *
 * After sign-in or sign-up it sets the API token cookie next to the session
 * cookie; sign-out and account deletion clear both, and the bookmark cookie. Deleting a user deletes
 * their todos through the API first, and keeps the user when that fails.
 * That way the page forms (`auth.api.*`) and direct calls to `/api/auth/*`
 * behave the same.
 */
export function createAuth(bindings: AuthBindings, config: SiteConfig) {
  const setCookie = (
    ctx: { setCookie: (name: string, value: string, options: TokenCookie["options"]) => unknown },
    cookie: TokenCookie,
  ) => ctx.setCookie(cookie.name, cookie.value, cookie.options);

  const rules: AccountRules = {
    db: () => bindings.AUTH_DB,
    secret: config.authSecret,
    failures: config.accountFailures,
  };
  // Better Auth's own context, for the callbacks that are not handed one.
  let context = (): Promise<AuthContext> => Promise.reject(new Error("Better Auth is not built"));
  const verificationContext: LateContext = {};
  const confirmEmail = markVerifiedAfterReset(verificationContext);
  const auth = betterAuth({
    ...authOptions,
    disabledPaths: [...authOptions.disabledPaths, "/verify-email", "/send-verification-email"],
    verification: verificationStorage,
    advanced: { ...authOptions.advanced, ...sessionCookieOptions(config.secure) },
    database: authDatabase(() => bindings.AUTH_DB),
    secret: config.authSecret,
    baseURL: config.origin,
    trustedOrigins: [config.origin],
    plugins: [passkeyPlugin(config.origin), ...oidcPlugins(config.oidc)],
    emailAndPassword: {
      ...authOptions.emailAndPassword,
      sendResetPassword: sendResetLink(
        config.mail,
        bindings.AUTH_DB,
        config.origin,
        bindings.waitUntil,
      ),
      onPasswordReset: async ({ user }) => {
        const { adapter, internalAdapter } = await context();
        await endLinksOf(adapter, user.id);
        await forgetAccountFailures(rules, user.email);
        await internalAdapter.updateUser(user.id, { shortPassword: false });
        await confirmEmail({ user });
      },
    },
    emailVerification: {
      ...authOptions.emailVerification,
      sendVerificationEmail: sendVerificationLink(
        config.mail,
        bindings.AUTH_DB,
        config.origin,
        bindings.waitUntil,
        verificationContext,
      ),
    },
    user: {
      ...authOptions.user,
      deleteUser: {
        ...authOptions.user.deleteUser,
        beforeDelete: deleteTodosBeforeUser(bindings.API, config),
        afterDelete: async (user) => endLinksOf((await context()).adapter, user.id),
      },
    },
    databaseHooks: {
      ...authOptions.databaseHooks,
      verification: oneLiveLink,
      user: { create: { before: assignHomeShard } },
    },
    hooks: {
      before: createAuthMiddleware((ctx) => accountRulesBefore(rules, ctx)),
      after: createAuthMiddleware(async (ctx) => {
        await accountRulesAfter(rules, ctx);
        const person = ctx.context.session?.user.id;
        if (person && ENDS_LINKS.has(ctx.path) && !isAPIError(ctx.context.returned)) {
          await endLinksOf(ctx.context.adapter, person);
        }
        const ended = ENDS_SESSIONS.has(ctx.path) && !isAPIError(ctx.context.returned);
        if (ctx.path === "/sign-out" || ended) {
          clearPasskeyChallenge(ctx);
          setCookie(ctx, clearedTokenCookie(config.secure));
          setCookie(ctx, clearedBookmarkCookie(config.secure));
          return;
        }
        const created = ctx.context.newSession;
        if (created) {
          const { user } = created;
          const cookie = await issueTokenCookie(
            user.id,
            config.jwtSecret,
            config.secure,
            homeShardOf(user),
          );
          setCookie(ctx, cookie);
          clearPasskeyChallenge(ctx);
          await rehashAfterSignIn(ctx);
          await noteShortPassword(ctx);
        }
      }),
    },
  });
  context = async () => (await auth.$context) as unknown as AuthContext;
  verificationContext.current = auth.$context;
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;
