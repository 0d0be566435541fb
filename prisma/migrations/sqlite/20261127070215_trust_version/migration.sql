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
    "trustVersion" INTEGER NOT NULL DEFAULT 0,
    "propagationSeconds" INTEGER NOT NULL DEFAULT 86400,
    "retentionSeconds" INTEGER NOT NULL DEFAULT 604800,
    "rotationIntervalSeconds" INTEGER DEFAULT 7776000,
    "rotationAlg" TEXT,
    "autoActivate" BOOLEAN NOT NULL DEFAULT true,
    "expiryWarningDays" INTEGER NOT NULL DEFAULT 30,
    "accessTokenTtlSeconds" INTEGER NOT NULL DEFAULT 300,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Tenant" ("accessTokenTtlSeconds", "autoActivate", "createdAt", "expiryWarningDays", "id", "jwksMaxAgeSeconds", "name", "profile", "propagationSeconds", "publishVersion", "retentionSeconds", "rotationAlg", "rotationIntervalSeconds", "slug", "updatedAt") SELECT "accessTokenTtlSeconds", "autoActivate", "createdAt", "expiryWarningDays", "id", "jwksMaxAgeSeconds", "name", "profile", "propagationSeconds", "publishVersion", "retentionSeconds", "rotationAlg", "rotationIntervalSeconds", "slug", "updatedAt" FROM "Tenant";
DROP TABLE "Tenant";
ALTER TABLE "new_Tenant" RENAME TO "Tenant";
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
