/**
 * The comparison server: oidc-provider (panva's certified implementation)
 * with the same keys as the Keyward tenant. It serves them at /jwks, and its
 * token endpoint does client_credentials with client_secret_basic and JWT
 * access tokens (resource indicators, accessTokenFormat "jwt") signed PS256
 * with the same RSA 2048 key Keyward signs with.
 */
import http from "node:http";
import Provider from "oidc-provider";
import { childMain } from "../lib/child.mjs";

childMain(async (msg) => {
  if (msg.type !== "start") return;
  const server = http.createServer();
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const issuer = `http://127.0.0.1:${port}`;
  const audience = msg.audience;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: msg.clientId,
        client_secret: msg.clientSecret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: "client_secret_basic",
        // The default (RS256) has no key here: every key is PS256.
        id_token_signed_response_alg: "PS256",
      },
    ],
    // The active key first: oidc-provider signs with the first key that fits the alg.
    jwks: { keys: msg.privateJwks },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: "api", audience, accessTokenFormat: "jwt", accessTokenTTL: 300, jwt: { sign: { alg: "PS256" } } }),
      },
    },
  });
  server.on("request", provider.callback());
  process.send({ type: "listening", port, issuer });
});
