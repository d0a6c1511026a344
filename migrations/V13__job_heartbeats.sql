-- Retraining jobs shared by several Lecterns on one database (lectern.llm.RetrainJobs): an instance claims a queued
-- job (FOR UPDATE SKIP LOCKED), names itself in runner, and refreshes heartbeat_at while it runs. A running job whose
-- heartbeat is older than 30 s belonged to an instance that stopped: any instance marks it failed. A job live on
-- another instance is never touched.
ALTER TABLE model_job ADD COLUMN heartbeat_at TIMESTAMPTZ;
ALTER TABLE model_job ADD COLUMN runner VARCHAR(100);
-- the claim's scan: the oldest queued job
CREATE INDEX model_job_queued_idx ON model_job (id) WHERE status = 'queued';
