import type { Tx } from "@/lib/db";
import { signingKeyAad } from "@/lib/keys/key-row";
import { directoryKeyAad } from "@/lib/directories/directory-key";

/**
 * Every column that holds a sealed value, so re-sealing under a new KEK cannot
 * forget one. A feature that adds a sealed column adds its entry here; the
 * re-seal integration test fails if a sealed value is left under the old KEK.
 */
export interface SealedField {
  name: string;
  /** Each row's id, sealed value and the AAD it was sealed with. */
  read(tx: Tx): Promise<{ id: string; sealed: string; aad: string }[]>;
  write(tx: Tx, id: string, sealed: string): Promise<void>;
}

export const KEK_CANARY_KEY = "kek.canary";
export const KEK_CANARY_AAD = "setting:kek.canary";

export const SEALED_FIELDS: SealedField[] = [
  {
    name: "Setting.kek.canary",
    async read(tx) {
      const row = await tx.setting.findUnique({ where: { key: KEK_CANARY_KEY } });
      return row ? [{ id: row.key, sealed: row.value, aad: KEK_CANARY_AAD }] : [];
    },
    async write(tx, id, sealed) {
      await tx.setting.update({ where: { key: id }, data: { value: sealed } });
    },
  },
  {
    name: "SigningKey.privateKeySealed",
    async read(tx) {
      const rows = await tx.signingKey.findMany({
        where: { privateKeySealed: { not: null } },
        select: { id: true, tenantId: true, kid: true, privateKeySealed: true },
      });
      return rows.map((r) => ({ id: r.id, sealed: r.privateKeySealed!, aad: signingKeyAad(r.tenantId, r.kid) }));
    },
    async write(tx, id, sealed) {
      await tx.signingKey.update({ where: { id }, data: { privateKeySealed: sealed } });
    },
  },
  {
    name: "Directory.sandboxKeySealed",
    async read(tx) {
      const rows = await tx.directory.findMany({ where: { sandboxKeySealed: { not: null } }, select: { id: true, tenantId: true, sandboxKeySealed: true } });
      return rows.map((r) => ({ id: r.id, sealed: r.sandboxKeySealed!, aad: directoryKeyAad(r.tenantId, r.id) }));
    },
    async write(tx, id, sealed) {
      await tx.directory.update({ where: { id }, data: { sandboxKeySealed: sealed } });
    },
  },
];
