-- DropIndex
DROP INDEX "AuditEvent_tenantSlug_at_idx";

-- DropIndex
DROP INDEX "AuditEvent_action_at_idx";

-- DropIndex
DROP INDEX "AuditEvent_actorLabel_at_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_tenantSlug_at_id_idx" ON "AuditEvent"("tenantSlug", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_id_idx" ON "AuditEvent"("action", "at", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorLabel_at_id_idx" ON "AuditEvent"("actorLabel", "at", "id");

-- CreateIndex
CREATE INDEX "Client_tenantId_status_id_idx" ON "Client"("tenantId", "status", "id");

-- CreateIndex
CREATE INDEX "Client_tenantId_tokenEndpointAuthMethod_id_idx" ON "Client"("tenantId", "tokenEndpointAuthMethod", "id");

-- CreateIndex
CREATE INDEX "Client_tenantId_registeredVia_id_idx" ON "Client"("tenantId", "registeredVia", "id");
