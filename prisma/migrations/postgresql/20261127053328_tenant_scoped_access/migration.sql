-- AlterTable
ALTER TABLE "User" ADD COLUMN     "allTenants" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "allTenants" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "TenantMember" (
    "userId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,

    CONSTRAINT "TenantMember_pkey" PRIMARY KEY ("userId","tenantId")
);

-- CreateTable
CREATE TABLE "ApiTokenTenant" (
    "tokenId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,

    CONSTRAINT "ApiTokenTenant_pkey" PRIMARY KEY ("tokenId","tenantId")
);

-- CreateIndex
CREATE INDEX "TenantMember_tenantId_idx" ON "TenantMember"("tenantId");

-- CreateIndex
CREATE INDEX "ApiTokenTenant_tenantId_idx" ON "ApiTokenTenant"("tenantId");

-- AddForeignKey
ALTER TABLE "TenantMember" ADD CONSTRAINT "TenantMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantMember" ADD CONSTRAINT "TenantMember_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiTokenTenant" ADD CONSTRAINT "ApiTokenTenant_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiTokenTenant" ADD CONSTRAINT "ApiTokenTenant_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
