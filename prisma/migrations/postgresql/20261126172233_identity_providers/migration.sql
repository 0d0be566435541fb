-- CreateTable
CREATE TABLE "IdentityProvider" (
    "id" TEXT NOT NULL,
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
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdentityProvider_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IdentityProvider_tenantId_name_key" ON "IdentityProvider"("tenantId", "name");

-- AddForeignKey
ALTER TABLE "IdentityProvider" ADD CONSTRAINT "IdentityProvider_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
