/** The two databases Keyward runs on, chosen by `DATABASE_URL` alone. */
export type Provider = "sqlite" | "postgresql";

/**
 * Which database a `DATABASE_URL` points at.
 * @throws Error naming the accepted forms when the URL is neither.
 */
export function providerFromUrl(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(
    `DATABASE_URL must be file:<path> (embedded SQLite) or postgresql://… (PostgreSQL); got "${url.replace(/\/\/[^@/]*@/, "//***@")}"`,
  );
}

/** The file path of a SQLite `file:` URL (relative paths are relative to the working directory). */
export function sqlitePath(url: string): string {
  return url.slice("file:".length).replace(/\?.*$/, "");
}
