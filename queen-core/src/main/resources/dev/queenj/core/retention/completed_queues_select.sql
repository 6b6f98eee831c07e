-- Queues whose consumed messages expire (completedRetentionSeconds).
SELECT id, completed_retention_seconds FROM queues WHERE retention_enabled AND completed_retention_seconds > 0
ORDER BY id
