import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { checkOutboundUrl, OutboundRefused } from "@/lib/jwks-fetch/outbound-policy";

/**
 * A JWKS URL the fetcher may reach, or a 400 naming the field and why not
 * (private, loopback, link-local or metadata address, bad scheme …). Every
 * fetch checks the address it connects to again.
 */
export function checkedJwksUri(uri: string, path = "jwksUri"): string {
  try {
    return checkOutboundUrl(uri, { allow: env().outboundAllow }).toString();
  } catch (error) {
    if (error instanceof OutboundRefused) throw new AppError("validation_failed", `${path}: ${error.message}`, [{ path, message: error.message }]);
    throw error;
  }
}
