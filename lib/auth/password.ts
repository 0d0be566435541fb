import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane):
// strong enough for console passwords, cheap enough for a 2-core server.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** argon2id hash in PHC string format. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A hash of a random string, verified against when the account does not exist so
// an unknown email takes as long as a wrong password (no account enumeration).
let dummyHash: Promise<string> | undefined;

/** Whether `password` matches `passwordHash`; with no hash, spends the same time and answers false. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword(`dummy-${Math.random()}`);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Rules for a new password; returns the problem or null. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < 12) return "must be at least 12 characters";
  if (password.length > 256) return "must be at most 256 characters";
  // Only names long enough to matter: "b@bank.example" must not forbid every "b".
  const name = email?.toLowerCase().split("@")[0] ?? "";
  if (name.length >= 4 && password.toLowerCase().includes(name)) return "must not contain the email's name";
  if (new Set(password).size < 5) return "is too repetitive";
  return null;
}
