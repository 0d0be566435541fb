-- CreateTable
CREATE TABLE "Directory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "jwksUri" TEXT,
    "jwks" TEXT,
    "sandboxKeySealed" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Directory_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "clientSecretHash" TEXT,
    "jwks" TEXT,
    "jwksUri" TEXT,
    "grantTypes" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "softwareId" TEXT,
    "orgId" TEXT,
    "orgName" TEXT,
    "roles" TEXT NOT NULL DEFAULT '[]',
    "redirectUris" TEXT NOT NULL DEFAULT '[]',
    "responseTypes" TEXT NOT NULL DEFAULT '[]',
    "applicationType" TEXT,
    "tokenEndpointAuthSigningAlg" TEXT,
    "idTokenSignedResponseAlg" TEXT,
    "requestObjectSigningAlg" TEXT,
    "tlsClientAuthSubjectDn" TEXT,
    "registeredVia" TEXT NOT NULL DEFAULT 'console',
    "softwareStatement" TEXT,
    "directoryId" TEXT,
    "registrationAccessTokenHash" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("clientId", "clientSecretHash", "createdAt", "createdBy", "grantTypes", "id", "jwks", "jwksUri", "name", "scope", "status", "tenantId", "tokenEndpointAuthMethod", "updatedAt") SELECT "clientId", "clientSecretHash", "createdAt", "createdBy", "grantTypes", "id", "jwks", "jwksUri", "name", "scope", "status", "tenantId", "tokenEndpointAuthMethod", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE INDEX "Client_tenantId_createdAt_idx" ON "Client"("tenantId", "createdAt");
CREATE INDEX "Client_tenantId_softwareId_idx" ON "Client"("tenantId", "softwareId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Directory_tenantId_issuer_environment_key" ON "Directory"("tenantId", "issuer", "environment");
