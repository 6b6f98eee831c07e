-- Kafka topic ids (Metadata v10+, topic-id lookups v12+): one per queue, stable for the queue's life and new when a
-- queue is re-created, so a client never confuses a re-created topic with the one it knew. The volatile default gives
-- every existing row its own id. Kafka's Uuid.randomUuid() never hands out an id whose base64 form starts with '-'
-- (command-line tools would read it as an option); a first hex digit of 0 keeps ours clear of that as well.
ALTER TABLE queues ADD COLUMN topic_id uuid NOT NULL DEFAULT ('0' || substr(gen_random_uuid()::text, 2))::uuid;
ALTER TABLE queues ADD CONSTRAINT queues_topic_id_key UNIQUE (topic_id);

-- The cluster id Kafka clients see: one per database, so every instance sharing it reports the same cluster, and it
-- survives restarts. The primary key on a constant keeps the table at one row.
CREATE TABLE cluster_identity (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO cluster_identity DEFAULT VALUES;
