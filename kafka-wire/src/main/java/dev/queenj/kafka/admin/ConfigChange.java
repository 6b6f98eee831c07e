package dev.queenj.kafka.admin;

import org.apache.kafka.clients.admin.AlterConfigOp;

/** One operation of an IncrementalAlterConfigs request on one config; {@code value} is unused by DELETE. */
record ConfigChange(String name, AlterConfigOp.OpType op, String value) {}
