import { OAuth2Server } from "oauth2-mock-server";

/** The site's single sign-on settings for a provider that runs beside the stack. */
export type SignOnSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
};

/**
 * A local OpenID Connect provider for the end-to-end stack (oauth2-mock-server on a
 * free loopback port). It signs in whoever asks: each authorization is a new person
 * with a verified email, as a company's identity provider would vouch for an employee.
 */
export async function startIdentityProvider() {
  const provider = new OAuth2Server();
  await provider.issuer.keys.generate("RS256");
  await provider.start(0, "127.0.0.1");
  let person: Record<string, unknown> = {};
  provider.service.on("beforeAuthorizeRedirect", () => {
    const id = crypto.randomUUID();
    person = {
      sub: id,
      email: `sso-${id.slice(0, 8)}@example.test`,
      email_verified: true,
      name: "Sso Tester",
    };
  });
  provider.service.on("beforeTokenSigning", (token) => {
    Object.assign(token.payload, person);
  });
  provider.service.on("beforeUserinfo", (response) => {
    response.body = { ...person };
  });
  const settings: SignOnSettings = {
    issuer: provider.issuer.url ?? "",
    clientId: "todo-site",
    clientSecret: "an-e2e-client-secret",
    name: "Example ID",
  };
  return { settings, stop: () => provider.stop() };
}
