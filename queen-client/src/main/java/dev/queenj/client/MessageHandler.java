package dev.queenj.client;

/**
 * Handles one message of a {@link QueueConsumer}: returning acks it {@code completed}, throwing acks it
 * {@code failed}.
 */
@FunctionalInterface
public interface MessageHandler {
  void handle(Message message) throws Exception;
}
