/**
 * The one error type of the signing-key input pipeline (PEM, JWK, CSR
 * subject, kid, alg). It carries the form field that holds the bad input so
 * the console can show the message next to that field and the REST API can
 * answer it as a field error.
 *
 * Messages are safe to show and to log: they name what was found (block
 * labels, line numbers, key types and sizes, public fingerprints) and what was
 * expected, never private key material or a passphrase.
 *
 * Messages about the *text* of a field start with the field name
 * ("privateKeyPem: found a CERTIFICATE block …") because the same message is
 * shown by the REST API, where there is no form to point at; messages about
 * the *key* itself (strength, algorithm, key/certificate match) describe the
 * key and stand alone.
 */

/** Stable, machine-readable reason a key input was refused. */
export type KeyInputErrorCode =
  | "no_pem_block"
  | "truncated_block"
  | "mismatched_end"
  | "bad_base64"
  | "wrong_block_type"
  | "not_a_certificate"
  | "certificate_refused"
  | "too_many_certificates"
  | "not_a_private_key"
  | "multiple_private_keys"
  | "public_key_given"
  | "passphrase_required"
  | "wrong_passphrase"
  | "unsupported_encryption"
  | "unsupported_key_type"
  | "weak_key"
  | "unsupported_curve"
  | "alg_not_allowed"
  | "alg_mismatch"
  | "key_certificate_mismatch"
  | "chain_broken"
  | "bad_jwk"
  | "jwk_not_private"
  | "bad_kid"
  | "bad_subject";

/** The input field a {@link KeyInputError} is about. */
export type KeyInputField =
  | "certificatePem"
  | "privateKeyPem"
  | "passphrase"
  | "jwk"
  | "kid"
  | "alg"
  | "subject";

/**
 * Refusal of a key input, with a stable `code`, a message safe to show, and
 * the `field` it belongs to.
 *
 * @example
 * try {
 *   const key = parsePrivateKey(form.privateKeyPem, form.passphrase);
 * } catch (err) {
 *   if (err instanceof KeyInputError && err.code === "passphrase_required") {
 *     // show the passphrase input, with err.message next to it (err.field === "passphrase")
 *   }
 * }
 */
export class KeyInputError extends Error {
  override readonly name = "KeyInputError";

  constructor(
    readonly code: KeyInputErrorCode,
    message: string,
    readonly field: KeyInputField,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
