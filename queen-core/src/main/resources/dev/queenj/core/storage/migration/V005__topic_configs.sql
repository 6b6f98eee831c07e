-- Kafka topic configs set on a queue (CreateTopics), one row per config that differs from its default. Only configs
-- the Kafka front door knows are stored; it validates names and values before they get here. Deleting the queue
-- deletes its configs.
CREATE TABLE topic_configs (
    queue_id uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    name     text NOT NULL,
    value    text NOT NULL,
    PRIMARY KEY (queue_id, name)
);
