import { db } from "@/lib/db";
import { kekId, seal, unsealToString, reseal, SealError } from "@/lib/crypto/seal";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requirePlatformRole } from "@/lib/auth/roles";
import { KEK_CANARY_AAD, KEK_CANARY_KEY, SEALED_FIELDS } from "@/lib/secrets/sealed-fields";

const CANARY_TEXT = "keyward-kek-canary";

/**
 * Makes sure the running KEK is the one this database's secrets are sealed
 * with, before anything is served: a wrong KEK would otherwise surface much
 * later, as signing failures. Seals the canary on first start.
 */
export async function checkKek(kek: Buffer): Promise<"sealed-canary" | "ok"> {
  const existing = await db().setting.findUnique({ where: { key: KEK_CANARY_KEY } });
  if (!existing) {
    await db().setting.create({ data: { key: KEK_CANARY_KEY, value: seal(CANARY_TEXT, kek, KEK_CANARY_AAD) } });
    return "sealed-canary";
  }
  try {
    if (unsealToString(existing.value, kek, KEK_CANARY_AAD) !== CANARY_TEXT) throw new Error("canary mismatch");
    return "ok";
  } catch (error) {
    const detail = error instanceof SealError ? error.message : (error as Error).message;
    throw new Error(
      `the key-encryption key (KEYWARD_KEK / KEYWARD_KEK_FILE / data/kek, id ${kekId(kek)}) is not the one this database's secrets are sealed with: ${detail}. Restore the right KEK; to move to a new one, use \`npm run keyward -- kek:rotate\` with the old KEK in place.`,
    );
  }
}

/**
 * Re-seals every sealed value under `newKek`, in one transaction: either all
 * values move to the new KEK or none does. Returns how many values moved.
 */
export async function resealAll(actor: Actor, oldKek: Buffer, newKek: Buffer): Promise<{ resealed: number; fields: Record<string, number> }> {
  requirePlatformRole(actor, "admin");
  const fields: Record<string, number> = {};
  let resealed = 0;
  await db().$transaction(
    async (tx) => {
      for (const field of SEALED_FIELDS) {
        const rows = await field.read(tx);
        for (const row of rows) {
          await field.write(tx, row.id, reseal(row.sealed, oldKek, newKek, row.aad));
        }
        fields[field.name] = rows.length;
        resealed += rows.length;
      }
      await recordAudit(tx, actor, { action: "kek.rotate", after: { from: kekId(oldKek), to: kekId(newKek), resealed } });
    },
    { timeout: 120_000 },
  );
  return { resealed, fields };
}
