-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "appId" TEXT,
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "kidStrategy" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateKeySealed" TEXT,
    "certificateChainPem" TEXT,
    "certSubject" TEXT,
    "certIssuer" TEXT,
    "certSerial" TEXT,
    "certNotBefore" DATETIME,
    "certNotAfter" DATETIME,
    "certSha256" TEXT,
    "csrPem" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "activatedAt" DATETIME,
    "retiredAt" DATETIME,
    "removedAt" DATETIME,
    "revokedAt" DATETIME,
    "revokeReason" TEXT,
    CONSTRAINT "SigningKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Tenant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "profile" TEXT NOT NULL DEFAULT 'generic',
    "jwksMaxAgeSeconds" INTEGER NOT NULL DEFAULT 300,
    "publishVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Tenant" ("createdAt", "id", "name", "profile", "slug", "updatedAt") SELECT "createdAt", "id", "name", "profile", "slug", "updatedAt" FROM "Tenant";
DROP TABLE "Tenant";
ALTER TABLE "new_Tenant" RENAME TO "Tenant";
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SigningKey_tenantId_appId_state_idx" ON "SigningKey"("tenantId", "appId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_tenantId_kid_key" ON "SigningKey"("tenantId", "kid");

-- At most one active key per tenant and app scope, enforced by the database (hand-written).
CREATE UNIQUE INDEX "SigningKey_one_active" ON "SigningKey"("tenantId", IFNULL("appId", '')) WHERE "state" = 'active';
