// Types for setup.mjs (the parts used outside bench/).

export declare const JWT_BEARER: string;
export declare const TENANT: string;

export interface SeededKey {
  kid: string;
  state: string;
  privateKeyPem: string;
  certificatePem: string;
  publishedJwk: Record<string, unknown>;
}

export interface SeededIdp {
  issuer: string;
  jwksUrl: string;
  /** A fresh PS256 assertion (new jti) for the audience. */
  sign(audience: string): string;
  close(): Promise<void>;
}

/** Seeds tenant TENANT on a running Keyward: three PEM keys (the first signs), rotation off, a client_secret_basic client, a loopback jwt-bearer IdP. */
export declare function seedBenchTenant(
  ctx: { closers: (() => unknown)[] },
  url: string,
): Promise<{ keys: SeededKey[]; activeKey: SeededKey; client: { id: string; secret: string }; idp: SeededIdp }>;
