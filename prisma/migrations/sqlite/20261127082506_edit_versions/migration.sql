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
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Tenant" ("accessTokenTtlSeconds", "autoActivate", "createdAt", "expiryWarningDays", "id", "jwksMaxAgeSeconds", "name", "profile", "propagationSeconds", "publishVersion", "retentionSeconds", "rotationAlg", "rotationIntervalSeconds", "slug", "trustVersion", "updatedAt") SELECT "accessTokenTtlSeconds", "autoActivate", "createdAt", "expiryWarningDays", "id", "jwksMaxAgeSeconds", "name", "profile", "propagationSeconds", "publishVersion", "retentionSeconds", "rotationAlg", "rotationIntervalSeconds", "slug", "trustVersion", "updatedAt" FROM "Tenant";
DROP TABLE "Tenant";
ALTER TABLE "new_Tenant" RENAME TO "Tenant";
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT,
    "inviteTokenHash" TEXT,
    "inviteExpiresAt" DATETIME,
    "disabledAt" DATETIME,
    "lastLoginAt" DATETIME,
    "passwordChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "allTenants" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("allTenants", "createdAt", "disabledAt", "email", "id", "inviteExpiresAt", "inviteTokenHash", "lastLoginAt", "name", "passwordChangedAt", "passwordHash", "role", "updatedAt") SELECT "allTenants", "createdAt", "disabledAt", "email", "id", "inviteExpiresAt", "inviteTokenHash", "lastLoginAt", "name", "passwordChangedAt", "passwordHash", "role", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_inviteTokenHash_key" ON "User"("inviteTokenHash");
CREATE TABLE "new_IdentityProvider" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "keySource" TEXT NOT NULL,
    "jwksUri" TEXT,
    "jwks" TEXT,
    "certificatesPem" TEXT,
    "allowedAlgs" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "maxAssertionLifetimeSeconds" INTEGER NOT NULL DEFAULT 3600,
    "clockSkewSeconds" INTEGER NOT NULL DEFAULT 60,
    "refuseJtiReuse" BOOLEAN NOT NULL DEFAULT true,
    "connectTimeoutMs" INTEGER NOT NULL DEFAULT 1000,
    "readTimeoutMs" INTEGER NOT NULL DEFAULT 1000,
    "sizeLimitBytes" INTEGER NOT NULL DEFAULT 51200,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "IdentityProvider_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_IdentityProvider" ("allowedAlgs", "audience", "certificatesPem", "clockSkewSeconds", "connectTimeoutMs", "createdAt", "createdBy", "enabled", "id", "jwks", "jwksUri", "keySource", "maxAssertionLifetimeSeconds", "name", "readTimeoutMs", "refuseJtiReuse", "sizeLimitBytes", "tenantId", "updatedAt") SELECT "allowedAlgs", "audience", "certificatesPem", "clockSkewSeconds", "connectTimeoutMs", "createdAt", "createdBy", "enabled", "id", "jwks", "jwksUri", "keySource", "maxAssertionLifetimeSeconds", "name", "readTimeoutMs", "refuseJtiReuse", "sizeLimitBytes", "tenantId", "updatedAt" FROM "IdentityProvider";
DROP TABLE "IdentityProvider";
ALTER TABLE "new_IdentityProvider" RENAME TO "IdentityProvider";
CREATE UNIQUE INDEX "IdentityProvider_tenantId_name_key" ON "IdentityProvider"("tenantId", "name");
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
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("applicationType", "clientId", "clientSecretHash", "createdAt", "createdBy", "directoryId", "grantTypes", "id", "idTokenSignedResponseAlg", "jwks", "jwksUri", "name", "orgId", "orgName", "redirectUris", "registeredVia", "registrationAccessTokenHash", "requestObjectSigningAlg", "responseTypes", "roles", "scope", "softwareId", "softwareStatement", "status", "tenantId", "tlsClientAuthSubjectDn", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "updatedAt") SELECT "applicationType", "clientId", "clientSecretHash", "createdAt", "createdBy", "directoryId", "grantTypes", "id", "idTokenSignedResponseAlg", "jwks", "jwksUri", "name", "orgId", "orgName", "redirectUris", "registeredVia", "registrationAccessTokenHash", "requestObjectSigningAlg", "responseTypes", "roles", "scope", "softwareId", "softwareStatement", "status", "tenantId", "tlsClientAuthSubjectDn", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE INDEX "Client_tenantId_createdAt_idx" ON "Client"("tenantId", "createdAt");
CREATE INDEX "Client_tenantId_id_idx" ON "Client"("tenantId", "id");
CREATE INDEX "Client_tenantId_softwareId_idx" ON "Client"("tenantId", "softwareId");
CREATE INDEX "Client_tenantId_status_id_idx" ON "Client"("tenantId", "status", "id");
CREATE INDEX "Client_tenantId_tokenEndpointAuthMethod_id_idx" ON "Client"("tenantId", "tokenEndpointAuthMethod", "id");
CREATE INDEX "Client_tenantId_registeredVia_id_idx" ON "Client"("tenantId", "registeredVia", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
