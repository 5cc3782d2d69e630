import { defineMiddleware } from "astro:middleware";
import { GUEST_PAGES, MEMBER_PAGES, pagePath } from "./pages.ts";

/** Signed-out people go to sign in, signed-in people away from the sign-in and sign-up pages. */
export const redirectBySignIn = defineMiddleware(({ request, url, locals, redirect }, next) => {
  const path = pagePath(url);
  const status = request.method === "GET" || request.method === "HEAD" ? 302 : 303;
  // A page reading ahead (locals.sessionCheck) confirms the session itself.
  const signedIn = locals.user !== null || locals.sessionCheck !== undefined;
  if (!signedIn && MEMBER_PAGES.has(path)) return redirect("/sign-in", status);
  if (signedIn && GUEST_PAGES.has(path)) return redirect("/todos", status);
  return next();
});
