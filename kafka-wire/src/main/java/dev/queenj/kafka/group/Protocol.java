package dev.queenj.kafka.group;

/** One assignment protocol a member offers (e.g. {@code range}), with its opaque subscription metadata. */
record Protocol(String name, byte[] metadata) {}
