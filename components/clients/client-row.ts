import type { ClientSummary } from "@/lib/clients/schemas";

/** What a row of the client list shows of a client: the values the page sends the table. */
export type ClientRow = Pick<
  ClientSummary,
  "clientId" | "name" | "softwareId" | "orgId" | "orgName" | "tokenEndpointAuthMethod" | "jwksUri" | "grantTypes" | "registeredVia" | "status" | "createdAt"
>;

export const clientRow = (c: ClientSummary): ClientRow => ({
  clientId: c.clientId,
  name: c.name,
  softwareId: c.softwareId,
  orgId: c.orgId,
  orgName: c.orgName,
  tokenEndpointAuthMethod: c.tokenEndpointAuthMethod,
  jwksUri: c.jwksUri,
  grantTypes: c.grantTypes,
  registeredVia: c.registeredVia,
  status: c.status,
  createdAt: c.createdAt,
});
