import { describe, expect, it } from "vitest";
import { JwksFetchError } from "./jwks-fetch-error";
import { OutboundRefused } from "./outbound-policy";
import { redirectTarget, type RedirectHop } from "./redirect-target";

const uri = "https://idp.example/jwks";
const hop = (overrides: Partial<RedirectHop>): RedirectHop => ({
  uri,
  current: new URL(uri),
  location: "/v2/jwks",
  statusCode: 302,
  hop: 0,
  maxRedirects: 3,
  allow: [],
  ...overrides,
});

function refusal(redirect: RedirectHop): JwksFetchError {
  try {
    redirectTarget(redirect);
  } catch (error) {
    if (error instanceof JwksFetchError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("redirectTarget", () => {
  it("resolves a relative Location against the current URL", () => {
    expect(redirectTarget(hop({})).href).toBe("https://idp.example/v2/jwks");
  });

  it("refuses a downgrade from https to plain http, even for an allowed host", () => {
    const error = refusal(hop({ location: "http://idp.example/jwks", allow: ["idp.example"] }));
    expect(error.code).toBe("refused_address");
    expect((error.cause as OutboundRefused).code).toBe("https_downgrade");
    expect(error.message).toBe(`the JWKS at ${uri} redirected to http://idp.example/jwks: a redirect from https to plain http is refused`);
  });

  it("applies the outbound policy to the target", () => {
    const error = refusal(hop({ location: "https://[fd00:ec2::254]/latest/meta-data" }));
    expect((error.cause as OutboundRefused).code).toBe("forbidden_address");
    expect(error.message).toContain("redirect target points at fd00:ec2::254, a private (unique local, fc00::/7) address");
    expect(refusal(hop({ location: "https://user:pw@idp.example/" })).message).toContain("redirect target must not contain a user name or password");
  });

  it("counts hops and needs a Location", () => {
    expect(refusal(hop({ hop: 3 })).code).toBe("too_many_redirects");
    expect(redirectTarget(hop({ hop: 2 })).pathname).toBe("/v2/jwks");
    const missing = refusal(hop({ location: undefined, statusCode: 301 }));
    expect(missing).toMatchObject({ code: "http_status", httpStatus: 301, message: `the JWKS at ${uri} answered HTTP 301 without a Location` });
  });
});
