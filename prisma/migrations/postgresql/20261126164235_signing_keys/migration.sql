-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "jwksMaxAgeSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "publishVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL,
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
    "certNotBefore" TIMESTAMP(3),
    "certNotAfter" TIMESTAMP(3),
    "certSha256" TEXT,
    "csrPem" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "activatedAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokeReason" TEXT,

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SigningKey_tenantId_appId_state_idx" ON "SigningKey"("tenantId", "appId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_tenantId_kid_key" ON "SigningKey"("tenantId", "kid");

-- AddForeignKey
ALTER TABLE "SigningKey" ADD CONSTRAINT "SigningKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one active key per tenant and app scope, enforced by the database (hand-written).
CREATE UNIQUE INDEX "SigningKey_one_active" ON "SigningKey"("tenantId", COALESCE("appId", '')) WHERE "state" = 'active';
