/**
 * Several instances on one database. {@link dev.queenj.core.cluster.ClusterIdentity} is the deployment's id;
 * {@link dev.queenj.core.cluster.ClusterMembership} registers this instance in {@code queen_instances} with a
 * heartbeat and reads the live instances ({@link dev.queenj.core.cluster.ClusterView}); and
 * {@link dev.queenj.core.cluster.GroupLeases} gives each Kafka consumer group one coordinating instance at a time,
 * fenced by time. Everything else an instance serves needs no ownership: its state is in Postgres, under row locks
 * where writers could race.
 */
package dev.queenj.core.cluster;
