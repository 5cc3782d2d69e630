import * as z from "zod";
import { isLoopbackHttp } from "../mail/mail-config.server.ts";

/** Better Auth's provider id for the single sign-on provider; its callback is `/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

/** Single sign-on through one OpenID Connect provider, or nothing when it is not set up. */
export type OidcConfig = {
  /** The issuer; discovery is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the button: "Sign in with <name>". */
  name: string;
};

const text = z.string().trim().optional();

/**
 * `OIDC_ISSUER`, `OIDC_CLIENT_ID` (vars), `OIDC_CLIENT_SECRET` (a secret) and
 * `OIDC_NAME` (optional, "single sign-on"). None set: single sign-on is off. Some but
 * not all of the first three: refused, so a half-set provider never serves. The issuer
 * must be https, or http on a loopback host (tests, local dev).
 */
export const oidcSchema = z
  .object({
    OIDC_ISSUER: text,
    OIDC_CLIENT_ID: text,
    OIDC_CLIENT_SECRET: text,
    OIDC_NAME: text,
  })
  .superRefine((oidc, ctx) => {
    const set = [oidc.OIDC_ISSUER, oidc.OIDC_CLIENT_ID, oidc.OIDC_CLIENT_SECRET].filter(Boolean);
    if (set.length === 0) return;
    if (set.length < 3) {
      ctx.addIssue({
        code: "custom",
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
      return;
    }
    const issuer = z.url().safeParse(oidc.OIDC_ISSUER);
    if (!issuer.success || !(/^https:\/\//.test(issuer.data) || isLoopbackHttp(issuer.data))) {
      ctx.addIssue({ code: "custom", message: "OIDC_ISSUER must be an https URL" });
    }
  });

/** The provider from the parsed settings, or undefined when single sign-on is off. */
export function oidcConfig(oidc: z.infer<typeof oidcSchema>): OidcConfig | undefined {
  if (!oidc.OIDC_ISSUER || !oidc.OIDC_CLIENT_ID || !oidc.OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: oidc.OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: oidc.OIDC_CLIENT_ID,
    clientSecret: oidc.OIDC_CLIENT_SECRET,
    name: oidc.OIDC_NAME || "single sign-on",
  };
}
