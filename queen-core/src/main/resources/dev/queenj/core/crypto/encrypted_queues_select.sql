-- Queues with encryption enabled (a few names, for a start-up message). $1 how many
SELECT name FROM queues WHERE encryption_enabled ORDER BY name LIMIT $1
