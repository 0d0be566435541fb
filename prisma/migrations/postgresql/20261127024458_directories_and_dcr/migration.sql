-- DropIndex
DROP INDEX "Client_tenantId_idx";

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "applicationType" TEXT,
ADD COLUMN     "directoryId" TEXT,
ADD COLUMN     "idTokenSignedResponseAlg" TEXT,
ADD COLUMN     "orgId" TEXT,
ADD COLUMN     "orgName" TEXT,
ADD COLUMN     "redirectUris" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "registeredVia" TEXT NOT NULL DEFAULT 'console',
ADD COLUMN     "registrationAccessTokenHash" TEXT,
ADD COLUMN     "requestObjectSigningAlg" TEXT,
ADD COLUMN     "responseTypes" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "roles" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "softwareId" TEXT,
ADD COLUMN     "softwareStatement" TEXT,
ADD COLUMN     "tlsClientAuthSubjectDn" TEXT,
ADD COLUMN     "tokenEndpointAuthSigningAlg" TEXT;

-- CreateTable
CREATE TABLE "Directory" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "jwksUri" TEXT,
    "jwks" TEXT,
    "sandboxKeySealed" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Directory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Directory_tenantId_issuer_environment_key" ON "Directory"("tenantId", "issuer", "environment");

-- CreateIndex
CREATE INDEX "Client_tenantId_createdAt_idx" ON "Client"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Client_tenantId_softwareId_idx" ON "Client"("tenantId", "softwareId");

-- AddForeignKey
ALTER TABLE "Directory" ADD CONSTRAINT "Directory_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
