function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The error to show beside `field`: its own, or the first of a nested path
 * ("jwk.kty", "sans.0"). The crypto layer starts its messages with the field
 * name for the REST API ("passphrase: the passphrase does not decrypt this
 * key"); beside the field that name is noise, so it goes.
 */
export function fieldMessage(errors: Record<string, string>, field: string): string | undefined {
  const entry = field in errors ? ([field, errors[field]!] as const) : Object.entries(errors).find(([path]) => path.startsWith(`${field}.`));
  if (!entry) return undefined;
  const [path, message] = entry;
  return message.replace(new RegExp(`^(${escapeRegExp(path)}|${escapeRegExp(field)}): `), "");
}

/** The error paths a form shows beside its fields (so FormAlert only points at them). */
export function placedPaths(errors: Record<string, string>, fields: string[]): string[] {
  return Object.keys(errors).filter((path) => fields.some((f) => path === f || path.startsWith(`${f}.`)));
}
