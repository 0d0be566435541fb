/**
 * Keys, certificates and JWS for the benchmarks: RSA 2048 keys with
 * self-signed certificates (@peculiar/x509 on WebCrypto, as
 * lib/keys/keys.int.test.ts makes them), and PS256 compact JWS signed with
 * node:crypto directly, so pre-signing thousands of assertions stays cheap.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, webcrypto } from "node:crypto";
import "reflect-metadata";
import { X509CertificateGenerator } from "@peculiar/x509";

const b64u = (value) => Buffer.from(value).toString("base64url");

/** An RSA 2048 key pair: PEMs, KeyObjects and the public JWK (kid given or random). */
export function rsaKey(kid = `k-${randomUUID().slice(0, 8)}`) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateJwk: { ...privateKey.export({ format: "jwk" }), kid, alg: "PS256", use: "sig" },
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "PS256", use: "sig" },
  };
}

/** A self-signed certificate (PEM) for an RSA key, valid from yesterday for a year. */
export async function selfSignedCertificate(key, cn) {
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const privateKey = await webcrypto.subtle.importKey("pkcs8", key.privateKey.export({ type: "pkcs8", format: "der" }), alg, false, ["sign"]);
  const publicKey = await webcrypto.subtle.importKey("spki", createPublicKey(key.privateKey).export({ type: "spki", format: "der" }), alg, true, ["verify"]);
  const now = Date.now();
  const cert = await X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    keys: { privateKey, publicKey },
    signingAlgorithm: alg,
  });
  return cert.toString("pem");
}

/** The base64 DER of a PEM certificate (an x5c entry). */
export function x5cOf(certificatePem) {
  return certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "");
}

/** A PS256 compact JWS of `claims` with `kid` in the header. */
export function signPs256(claims, key, header = {}) {
  const input = `${b64u(JSON.stringify({ alg: "PS256", kid: key.kid, ...header }))}.${b64u(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${b64u(signature)}`;
}

/** A jwt-bearer assertion (RFC 7523) from `issuer` for `audience`, fresh jti, living `lifetime` seconds. */
export function assertion(key, { issuer, audience, subject = "user-42", lifetime = 1800 }) {
  const now = Math.floor(Date.now() / 1000);
  return signPs256({ iss: issuer, sub: subject, aud: audience, iat: now, exp: now + lifetime, jti: randomUUID() }, key);
}

/** Rebuilds a key handed over as PEM (child processes). */
export function keyFromPem(privateKeyPem, kid) {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return {
    kid,
    privateKey,
    publicKey,
    privateKeyPem,
    privateJwk: { ...privateKey.export({ format: "jwk" }), kid, alg: "PS256", use: "sig" },
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "PS256", use: "sig" },
  };
}
