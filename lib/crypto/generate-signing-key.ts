/**
 * Generation of a new signing key for an algorithm.
 */
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { SigningAlg } from "./signing-algorithms";

const generate = promisify(generateKeyPair);

/** RSA sizes offered for generated keys. */
export type RsaModulusLength = 2048 | 3072 | 4096;

/**
 * Generates a private key suited to `alg`: RSA (2048 bits by default,
 * e = 65537) for PS256/RS256, P-256 for ES256, P-384 for ES384, Ed25519 for
 * EdDSA. Asynchronous because RSA generation takes long enough (tens to
 * hundreds of milliseconds) to stall a server if done on the main thread.
 *
 * @example
 * const key = await generateSigningKey("PS256");             // RSA 2048
 * const big = await generateSigningKey("PS256", { rsaBits: 3072 });
 * const ec = await generateSigningKey("ES256");              // P-256
 */
export async function generateSigningKey(
  alg: SigningAlg,
  options: { rsaBits?: RsaModulusLength } = {},
): Promise<KeyObject> {
  switch (alg) {
    case "PS256":
    case "RS256": {
      const modulusLength = options.rsaBits ?? 2048;
      if (![2048, 3072, 4096].includes(modulusLength)) {
        throw new RangeError(`rsaBits must be 2048, 3072 or 4096; got ${modulusLength}`);
      }
      // A plain rsaEncryption key (not RSA-PSS-restricted) so it has a JWK
      // form and can sign both PS256 and RS256.
      return (await generate("rsa", { modulusLength, publicExponent: 0x10001 })).privateKey;
    }
    case "ES256":
      return (await generate("ec", { namedCurve: "P-256" })).privateKey;
    case "ES384":
      return (await generate("ec", { namedCurve: "P-384" })).privateKey;
    case "EdDSA":
      return (await generate("ed25519", undefined)).privateKey;
    default: {
      const unknown: never = alg;
      throw new RangeError(`cannot generate a key for alg ${String(unknown)}`);
    }
  }
}
