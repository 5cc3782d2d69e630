import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { OIDC_PROVIDER_ID, type OidcConfig } from "./oidc-config.server.ts";

/**
 * Better Auth's generic OAuth plugin for the one OpenID Connect provider, when it is
 * set up: endpoints from discovery, authorization code with PKCE (S256) and state, the
 * ID token checked against the discovered keys. An existing account is linked only
 * when the provider says the email is verified and the account's own address is
 * confirmed (Better Auth's `requireLocalEmailVerified`, decision 123).
 */
export function oidcPlugins(oidc: OidcConfig | undefined) {
  if (!oidc) return [];
  return [
    genericOAuth({
      config: [
        {
          providerId: OIDC_PROVIDER_ID,
          discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
          clientId: oidc.clientId,
          clientSecret: oidc.clientSecret,
          scopes: ["openid", "email", "profile"],
          pkce: true,
        },
      ],
    }),
  ];
}
