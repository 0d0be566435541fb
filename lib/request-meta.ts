import { randomUUID } from "node:crypto";

/**
 * Headers the custom server sets on every request it hands to Next. It removes
 * any copy a client sent, so they can be trusted here.
 */
export const CLIENT_IP_HEADER = "x-keyward-client-ip";
export const REQUEST_ID_HEADER = "x-request-id";

export interface RequestMeta {
  ip?: string;
  requestId?: string;
}

export function clientMetaFromHeaders(get: (name: string) => string | null | undefined): RequestMeta {
  return {
    ip: get(CLIENT_IP_HEADER) ?? undefined,
    requestId: get(REQUEST_ID_HEADER) ?? randomUUID(),
  };
}
