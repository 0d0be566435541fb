/**
 * First-start secrets (the KEK, the NextAuth secret, …) that Keyward can
 * generate itself and persist in its data directory, so that a plain
 * `npm start` works without the operator inventing secrets, while explicit
 * configuration (env value or a mounted secret file) always wins.
 *
 * Nothing here reads `process.env`: the caller maps env vars to arguments,
 * which keeps precedence testable and the module usable from the CLI.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
// Any group/other permission bit counts as "looser than 0600".
const LOOSE_BITS = 0o077;
// POSIX permission bits mean nothing on Windows (stat reports 0o666), so
// tightening there would be a no-op chmod on every start.
const ENFORCE_MODES = process.platform !== "win32";

/** Result of {@link ensureSecretFile}. */
export interface SecretFile {
  /** The secret, trimmed of surrounding whitespace. */
  value: string;
  /** True when this call generated and wrote the file. */
  created: boolean;
  /** Absolute path of the secret file. */
  path: string;
}

/** Options for {@link ensureSecretFile}. */
export interface EnsureSecretFileOptions {
  /** Directory holding the file; created with mode 0700 if missing. */
  dataDir: string;
  /** Plain file name inside `dataDir` (no path separators). */
  fileName: string;
  /** Produces a new secret when the file does not exist yet. */
  generate: () => string;
}

/** Where {@link resolveSecret} found the secret. */
export type SecretSource = "env" | "file" | "generated";

/** Result of {@link resolveSecret}. */
export interface ResolvedSecret {
  value: string;
  source: SecretSource;
  /** Absolute path of the file the value came from (absent for `env`). */
  path?: string;
}

/** Options for {@link resolveSecret}. */
export interface ResolveSecretOptions {
  /** Env var name, e.g. "KEYWARD_KEK"; `<name>_FILE` is used in messages. */
  name: string;
  /** Explicit value (from `<name>`); blank counts as unset. */
  value?: string;
  /** Explicit file path (from `<name>_FILE`); blank counts as unset. */
  file?: string;
  /** Data directory holding the default file. */
  dataDir: string;
  /** File name inside `dataDir` used when nothing explicit is given. */
  defaultFileName: string;
  /** Produces a new secret when the default file does not exist yet. */
  generate: () => string;
}

/**
 * Returns the secret stored in `dataDir/fileName`, generating and writing it
 * (mode 0600) on first use. An existing file with group/other permissions is
 * tightened to 0600. Concurrent first starts agree on one value: the file is
 * published atomically and never overwritten, and the loser of a race reads
 * the winner's value.
 *
 * @throws Error when the existing file is empty, is not a regular file, or
 *   cannot be read/written.
 * @example
 * const { value, created } = ensureSecretFile({
 *   dataDir: "/var/lib/keyward",
 *   fileName: "kek",
 *   generate: generateKek,
 * });
 * if (created) console.warn("Generated a new KEK — back up /var/lib/keyward/kek");
 */
export function ensureSecretFile(opts: EnsureSecretFileOptions): SecretFile {
  const { dataDir, fileName, generate } = opts;
  if (
    fileName === "" ||
    fileName === "." ||
    fileName === ".." ||
    path.basename(fileName) !== fileName ||
    fileName.includes("/") ||
    fileName.includes("\\")
  ) {
    throw new Error(
      `Secret file name must be a plain file name without directories; got "${fileName}"`,
    );
  }
  const dir = path.resolve(dataDir);
  // `mode` only applies to directories this call creates; an existing data
  // dir keeps whatever permissions the operator chose.
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const filePath = path.join(dir, fileName);

  const existing = tryReadSecretFile(filePath, { tighten: true });
  if (existing !== undefined) {
    return { value: existing, created: false, path: filePath };
  }

  const value = generate().trim();
  if (value === "" || /\s/.test(value)) {
    throw new Error(
      `Refusing to write ${filePath}: the generated secret is empty or contains whitespace`,
    );
  }

  const published = publishExclusively(dir, filePath, `${value}\n`);
  if (published) {
    return { value, created: true, path: filePath };
  }
  // Another process created the file between our read and our publish:
  // its value is the one everybody else will use, so adopt it.
  const winner = tryReadSecretFile(filePath, { tighten: true });
  if (winner === undefined) {
    throw new Error(
      `Secret file ${filePath} appeared while it was being created and then vanished; retry`,
    );
  }
  return { value: winner, created: false, path: filePath };
}

/**
 * Generates a secret suitable for NextAuth's `secret` (48 random bytes,
 * base64url — 64 characters, 384 bits).
 *
 * @example
 * ensureSecretFile({ dataDir, fileName: "auth-secret", generate: generateAuthSecret });
 */
export function generateAuthSecret(): string {
  return randomBytes(48).toString("base64url");
}

/**
 * Resolves a secret with the precedence: explicit value (env) → explicit
 * file (`<name>_FILE`, must exist) → default file in `dataDir` (read, or
 * generated on first start).
 *
 * Explicit files are read as-is and never chmod'ed: they are typically
 * owned by the platform (Docker/Kubernetes secrets mounted read-only, often
 * 0444), so permissions are the operator's responsibility there.
 *
 * @throws Error when the explicit file does not exist or any file is empty.
 * @example
 * const kek = resolveSecret({
 *   name: "KEYWARD_KEK",
 *   value: process.env.KEYWARD_KEK,
 *   file: process.env.KEYWARD_KEK_FILE,
 *   dataDir,
 *   defaultFileName: "kek",
 *   generate: generateKek,
 * });
 * // kek.source === "generated" → tell the operator to back the file up
 */
export function resolveSecret(opts: ResolveSecretOptions): ResolvedSecret {
  const { name, value, file, dataDir, defaultFileName, generate } = opts;

  // Blank env values are treated as unset: compose files and .env templates
  // commonly declare `KEYWARD_KEK=` with nothing after it.
  const explicit = value?.trim();
  if (explicit !== undefined && explicit !== "") {
    return { value: explicit, source: "env" };
  }

  const explicitFile = file?.trim();
  if (explicitFile !== undefined && explicitFile !== "") {
    const filePath = path.resolve(explicitFile);
    const content = tryReadSecretFile(filePath, { tighten: false });
    if (content === undefined) {
      throw new Error(
        `${name}_FILE points at ${filePath} which does not exist`,
      );
    }
    return { value: content, source: "file", path: filePath };
  }

  const ensured = ensureSecretFile({
    dataDir,
    fileName: defaultFileName,
    generate,
  });
  return {
    value: ensured.value,
    source: ensured.created ? "generated" : "file",
    path: ensured.path,
  };
}

/**
 * Reads and trims a secret file; `undefined` when it does not exist.
 * Throws on empty files: silently generating a replacement would, for a
 * KEK, orphan every value sealed under the lost one.
 */
function tryReadSecretFile(
  filePath: string,
  options: { tighten: boolean },
): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw err;
  }
  if (!stat.isFile()) {
    throw new Error(`Secret file ${filePath} exists but is not a regular file`);
  }
  if (options.tighten && ENFORCE_MODES && (stat.mode & LOOSE_BITS) !== 0) {
    try {
      fs.chmodSync(filePath, FILE_MODE);
    } catch (err) {
      throw new Error(
        `Secret file ${filePath} has mode ${formatMode(stat.mode)}, readable by other users, and could not be restricted to 0600`,
        { cause: err },
      );
    }
  }
  const content = fs.readFileSync(filePath, "utf8").trim();
  if (content === "") {
    throw new Error(
      `Secret file ${filePath} is empty. Restore it from a backup, or delete it to have a new secret generated (for a KEK this makes every value sealed under the old one unreadable)`,
    );
  }
  return content;
}

/**
 * Writes `content` to a temp file in `dir` and publishes it as `filePath`
 * without ever overwriting an existing file. Returns false when `filePath`
 * already existed (someone else won the race).
 */
function publishExclusively(
  dir: string,
  filePath: string,
  content: string,
): boolean {
  const tempPath = path.join(
    dir,
    `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  // "wx" guarantees we never write through a pre-existing file or symlink
  // planted at the temp path.
  const fd = fs.openSync(tempPath, "wx", FILE_MODE);
  try {
    try {
      // openSync's mode is filtered by the umask; set it explicitly so the
      // file is exactly 0600 whatever umask the process runs with.
      if (ENFORCE_MODES) fs.fchmodSync(fd, FILE_MODE);
      fs.writeFileSync(fd, content, "utf8");
      // Flush before publishing so a crash can't leave a visible but empty
      // secret file behind.
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return linkOrRename(tempPath, filePath);
  } finally {
    fs.rmSync(tempPath, { force: true });
  }
}

function linkOrRename(tempPath: string, filePath: string): boolean {
  // link(2) is the atomic "publish unless it exists" primitive: it fails
  // with EEXIST instead of replacing, so two processes starting at once
  // can't end up using different secrets. rename(2) would silently clobber.
  try {
    fs.linkSync(tempPath, filePath);
    return true;
  } catch (err) {
    if (isErrno(err, "EEXIST")) return false;
    // Some filesystems (certain FUSE/SMB/overlay setups) lack hard links;
    // fall back to check-then-rename, which is still atomic for readers and
    // only leaves a tiny window for two simultaneous first starts.
    if (!isErrnoAny(err, ["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"])) {
      throw err;
    }
  }
  if (fs.existsSync(filePath)) return false;
  fs.renameSync(tempPath, filePath);
  return true;
}

function isErrno(err: unknown, code: string): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as NodeJS.ErrnoException).code === code
  );
}

function isErrnoAny(err: unknown, codes: readonly string[]): boolean {
  return codes.some((code) => isErrno(err, code));
}

function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}
