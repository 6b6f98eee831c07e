package dev.queenj.client;

import java.util.List;

/** Handles a popped batch of a {@link QueueConsumer}; returning acks all of it, throwing retries the batch. */
@FunctionalInterface
public interface BatchHandler {
  void handle(List<Message> messages) throws Exception;
}
