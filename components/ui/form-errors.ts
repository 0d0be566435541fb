/** Field errors of a server form, placed beside the fields (items of a list included). */

/** The error of a field or of one of its items ("redirectUris.1"), with the item named. */
export function errorOf(fieldErrors: Record<string, string>, field: string): string | undefined {
  if (fieldErrors[field]) return fieldErrors[field];
  const item = Object.entries(fieldErrors).find(([k]) => k.startsWith(`${field}.`));
  return item ? `Item ${Number(item[0].slice(field.length + 1)) + 1}: ${item[1]}` : undefined;
}

/** Every error path the fields place beside themselves (items included). */
export function placedPaths(fieldErrors: Record<string, string>, own: readonly string[]): string[] {
  return [...own, ...Object.keys(fieldErrors).filter((k) => own.some((f) => k.startsWith(`${f}.`)))];
}
