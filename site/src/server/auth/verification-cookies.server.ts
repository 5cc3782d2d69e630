import { VERIFY_LINK_HOURS } from "../mail/verify-email-email.server.ts";

export type CookieSpec = {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    sameSite: "lax";
    path: string;
    secure: boolean;
    maxAge?: number;
  };
};

/** The page that takes a verification link. */
export const VERIFY_PATH = "/verify-email";

/**
 * The link's token, moved out of the address bar into a cookie only the verify page
 * receives, for as long as the link could still work.
 */
export function verifyTokenCookie(value: string, secure: boolean): CookieSpec {
  return {
    name: secure ? "__Secure-todo_verify_link" : "todo_verify_link",
    value,
    options: {
      httpOnly: true,
      sameSite: "lax",
      path: VERIFY_PATH,
      secure,
      maxAge: value === "" ? 0 : VERIFY_LINK_HOURS * 3600,
    },
  };
}

/** Set when the person dismissed the "confirm your email" notice; lasts this browser session. */
export function noticeDismissedCookie(secure: boolean, dismissed = true): CookieSpec {
  return {
    name: secure ? "__Host-todo_verify_notice" : "todo_verify_notice",
    value: dismissed ? "dismissed" : "",
    options: {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      ...(dismissed ? {} : { maxAge: 0 }),
    },
  };
}
