-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "trustVersion" INTEGER NOT NULL DEFAULT 0;
