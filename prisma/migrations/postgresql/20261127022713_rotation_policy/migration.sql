-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "accessTokenTtlSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "autoActivate" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "expiryWarningDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "propagationSeconds" INTEGER NOT NULL DEFAULT 86400,
ADD COLUMN     "retentionSeconds" INTEGER NOT NULL DEFAULT 604800,
ADD COLUMN     "rotationAlg" TEXT,
ADD COLUMN     "rotationIntervalSeconds" INTEGER DEFAULT 7776000;

-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN     "activatesAt" TIMESTAMP(3),
ADD COLUMN     "forcedReason" TEXT,
ADD COLUMN     "removesAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchedulerLease_pkey" PRIMARY KEY ("name")
);
