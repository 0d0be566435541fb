/** The AAD a sandbox directory's signing key is sealed with: it only opens as this directory's. */
export function directoryKeyAad(tenantId: string, directoryId: string): string {
  return `directory-key:${tenantId}:${directoryId}`;
}
