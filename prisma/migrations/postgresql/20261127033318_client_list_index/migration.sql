-- CreateIndex
CREATE INDEX "Client_tenantId_id_idx" ON "Client"("tenantId", "id");
