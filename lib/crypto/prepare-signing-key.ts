/**
 * Turns what an admin submits (a PEM key and certificate, a private JWK, or
 * "generate one") into everything a signing key record needs: kid, alg,
 * public JWK, the private key as PKCS#8 for the caller to seal, the
 * normalised certificate chain and its details, and warnings.
 *
 * Used both by the services that store keys and by the console's preview,
 * so the preview shows exactly what would be stored. Nothing is stored or
 * audited here.
 */
import type { KeyObject } from "node:crypto";
import { certificateDetails, validityProblems, type CertificateDetails } from "./certificate-details";
import { generateSigningKey } from "./generate-signing-key";
import { KeyInputError, type KeyInputField } from "./key-input-error";
import { assertKeyMatchesCertificate } from "./key-matches-certificate";
import { defaultKidStrategy, deriveKid, type KidStrategy } from "./kid";
import { parseCertificateChain, type CertificateChain } from "./parse-certificate-chain";
import { parsePrivateJwk, parsePrivateKey, readJwkObject } from "./parse-private-key";
import {
  certificateJwkMembers,
  publicJwk,
  publicKeyJwk,
  type CertificateJwkMembers,
  type PublicSigningJwk,
} from "./public-jwk";
import {
  checkKeyStrength,
  chooseAlg,
  isSigningAlg,
  keyDescription,
  SIGNING_ALGS,
  type KeyDescription,
  type SigningAlg,
} from "./signing-algorithms";

/** A signing key as submitted. */
export type PrepareSigningKeyInput =
  | {
      source: "pem";
      /** The certificate or chain, any order; empty means none. */
      certificatePem?: string;
      privateKeyPem: string;
      passphrase?: string;
      kidStrategy?: KidStrategy;
      kid?: string;
      alg?: SigningAlg;
    }
  | {
      source: "jwk";
      /** A private JWK: object, JSON text, or a JWK set with one key. */
      jwk: unknown;
      certificatePem?: string;
      kidStrategy?: KidStrategy;
      kid?: string;
      alg?: SigningAlg;
    }
  | {
      source: "generate";
      /** Defaults to the first of the allowed algorithms. */
      alg?: SigningAlg;
      kid?: string;
    };

/** The tenant's rules and the clock. */
export interface PrepareSigningKeyOptions {
  /** The tenant profile's algorithms, preferred first. */
  allowedAlgs: readonly SigningAlg[];
  now?: Date;
  /** Warn when the certificate expires within this many days (default 30). */
  warnDays?: number;
}

/** Everything a signing key record needs. */
export interface PreparedSigningKey {
  kid: string;
  alg: SigningAlg;
  kidStrategy: KidStrategy;
  /** Public members only, with x5c/x5t/x5t#S256 when there is a certificate. */
  publicJwk: PublicSigningJwk;
  /** PKCS#8 PEM of the private key — to be sealed by the caller, never shown or logged. */
  privateKeyPkcs8Pem: string;
  /** Normalised, leaf first; null without a certificate. */
  certificateChainPem: string | null;
  /** The leaf's details. */
  certificate: CertificateDetails | null;
  chainComplete: boolean | null;
  keyDescription: KeyDescription;
  warnings: string[];
}

/** A certificate chain checked against a key. */
export interface AttachedCertificate {
  /** Normalised, leaf first. */
  certificateChainPem: string;
  /** The leaf's details. */
  certificate: CertificateDetails;
  chainComplete: boolean;
  /** To merge into the stored public JWK: `{ ...publicJwk, ...jwkMembers }`. */
  jwkMembers: CertificateJwkMembers;
  warnings: string[];
}

/**
 * Prepares a signing key from an admin's input. Steps: read the key, check
 * its strength, read and order the certificate chain, check that the key
 * matches the leaf, choose the algorithm, build the public JWK, derive the
 * kid, and collect warnings (certificate validity, incomplete chain, leaf
 * key usage without digitalSignature, self-signed certificate).
 *
 * For a JWK input, the JWK's own "kid" is kept (as a given kid) unless
 * another kid or kid strategy is chosen, and its "alg" is the requested
 * algorithm unless `alg` is set.
 *
 * @throws KeyInputError with the field of the offending input.
 * @example
 * const prepared = await prepareSigningKey(
 *   { source: "pem", certificatePem, privateKeyPem, passphrase },
 *   { allowedAlgs: ["PS256"] },
 * );
 * prepared.kid;       // the certificate's x5t
 * prepared.alg;       // "PS256"
 * prepared.warnings;  // ["the chain ends at CN=OpenBanking Issuing CA, …, which is not included: …"]
 * const sealed = seal(prepared.privateKeyPkcs8Pem, kek, aad);
 */
export async function prepareSigningKey(
  input: PrepareSigningKeyInput,
  options: PrepareSigningKeyOptions,
): Promise<PreparedSigningKey> {
  const allowed = options.allowedAlgs;
  const now = options.now ?? new Date();

  if (input.source === "generate") {
    const alg = input.alg ?? allowed[0];
    if (alg === undefined) {
      throw new KeyInputError("alg_not_allowed", "alg: the tenant allows no signing algorithm", "alg");
    }
    if (!isSigningAlg(alg)) {
      throw new KeyInputError(
        "alg_not_allowed",
        `alg: "${String(alg).slice(0, 40)}" is not a supported signing algorithm; supported: ${SIGNING_ALGS.join(", ")}`,
        "alg",
      );
    }
    if (!allowed.includes(alg)) {
      // Checked before generating: an RSA key takes a while to make.
      throw new KeyInputError("alg_not_allowed", `alg: ${alg} is not allowed on this tenant; allowed: ${allowed.join(", ")}`, "alg");
    }
    const key = await generateSigningKey(alg);
    const kidStrategy: KidStrategy = defaultKidStrategy({ given: input.kid || undefined, hasCertificate: false });
    const kid = await deriveKid({ strategy: kidStrategy, jwk: publicKeyJwk(key), given: input.kid });
    return finish({ key, alg, kid, kidStrategy, chain: null, now, warnDays: options.warnDays });
  }

  const keyField: KeyInputField = input.source === "pem" ? "privateKeyPem" : "jwk";
  const key = input.source === "pem" ? parsePrivateKey(input.privateKeyPem, input.passphrase || undefined) : parsePrivateJwk(input.jwk);
  checkKeyStrength(key, keyField);

  const certificatePem = input.certificatePem?.trim() ? input.certificatePem : undefined;
  const chain = certificatePem ? await parseCertificateChain(certificatePem, "certificatePem") : null;
  const leaf = chain?.certificates[0];
  if (leaf) assertKeyMatchesCertificate(key, leaf);

  // The JWK's own alg and kid are what its author meant; they apply unless
  // the admin chose otherwise.
  const hints = input.source === "jwk" ? readJwkObject(input.jwk) : {};
  const jwkAlg = typeof hints.alg === "string" ? hints.alg : undefined;
  const requested = input.alg ?? jwkAlg;
  const alg = chooseAlg(key, {
    requested,
    allowed,
    field: input.alg !== undefined ? "alg" : requested !== undefined ? "jwk" : keyField,
  });

  const kidStrategyChosen = input.kidStrategy;
  const jwkKid =
    typeof hints.kid === "string" && hints.kid !== "" && (kidStrategyChosen === undefined || kidStrategyChosen === "given")
      ? hints.kid
      : undefined;
  const given = input.kid || jwkKid;
  const kidStrategy = kidStrategyChosen ?? defaultKidStrategy({ given, hasCertificate: leaf !== undefined });
  const kid = await deriveKid({ strategy: kidStrategy, jwk: publicKeyJwk(key), leafDer: leaf, given });
  return finish({ key, alg, kid, kidStrategy, chain, now, warnDays: options.warnDays });
}

/**
 * Checks a certificate (or chain) issued for an existing key — typically the
 * answer to a CSR — and returns the certificate parts of the key record:
 * normalised chain, leaf details, completeness, the JWK members to publish
 * (x5c, x5t, x5t#S256) and warnings. The kid is not changed: it is already
 * published.
 *
 * @throws KeyInputError (field "certificatePem") for a malformed chain, and
 *   `key_certificate_mismatch` when the leaf does not certify `privateKey`.
 * @example
 * const attached = await attachCertificate({ privateKey, certificatePem: form.certificatePem });
 * const updatedJwk = { ...storedPublicJwk, ...attached.jwkMembers };
 */
export async function attachCertificate(input: {
  privateKey: KeyObject;
  certificatePem: string;
  now?: Date;
  warnDays?: number;
}): Promise<AttachedCertificate> {
  const chain = await parseCertificateChain(input.certificatePem, "certificatePem");
  const [leaf] = chain.certificates;
  if (!leaf) throw new KeyInputError("no_pem_block", "certificatePem: no certificate was found", "certificatePem");
  assertKeyMatchesCertificate(input.privateKey, leaf);
  const certificate = certificateDetails(leaf);
  return {
    certificateChainPem: chain.pem,
    certificate,
    chainComplete: chain.complete,
    jwkMembers: certificateJwkMembers(chain.certificates),
    warnings: certificateWarnings(chain, certificate, input.now ?? new Date(), input.warnDays),
  };
}

function finish(parts: {
  key: KeyObject;
  alg: SigningAlg;
  kid: string;
  kidStrategy: KidStrategy;
  chain: CertificateChain | null;
  now: Date;
  warnDays: number | undefined;
}): PreparedSigningKey {
  const { key, alg, kid, kidStrategy, chain } = parts;
  const leaf = chain?.certificates[0];
  const certificate = leaf ? certificateDetails(leaf) : null;
  return {
    kid,
    alg,
    kidStrategy,
    publicJwk: publicJwk(key, { alg, kid, certificates: chain?.certificates }),
    privateKeyPkcs8Pem: key.export({ type: "pkcs8", format: "pem" }).toString(),
    certificateChainPem: chain?.pem ?? null,
    certificate,
    chainComplete: chain ? chain.complete : null,
    keyDescription: keyDescription(key),
    warnings: chain && certificate ? certificateWarnings(chain, certificate, parts.now, parts.warnDays) : [],
  };
}

function certificateWarnings(
  chain: CertificateChain,
  leaf: CertificateDetails,
  now: Date,
  warnDays = 30,
): string[] {
  const warnings = [...validityProblems(leaf, now, warnDays)];
  for (const der of chain.certificates.slice(1)) {
    const issuer = certificateDetails(der);
    for (const problem of validityProblems(issuer, now, warnDays)) {
      warnings.push(`issuing CA "${issuer.subject}": ${problem}`);
    }
  }
  warnings.push(...chain.warnings);
  // Without the extension every usage is allowed; with it, relying parties
  // that check key usage refuse signatures unless digitalSignature is set.
  if (leaf.keyUsage.length > 0 && !leaf.keyUsage.includes("digitalSignature")) {
    warnings.push(
      `the certificate's key usage (${leaf.keyUsage.join(", ")}) does not include digitalSignature: relying parties that check it will refuse signatures`,
    );
  }
  if (leaf.selfSigned) {
    warnings.push("the certificate is self-signed: relying parties that validate certificates will not trust it unless they pin it");
  }
  return warnings;
}
