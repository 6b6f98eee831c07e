package dev.queenj.client;

/** Handles one message of a {@link Consumer}; returning acks it {@code completed}, throwing nacks it {@code failed}. */
@FunctionalInterface
public interface MessageHandler {
  void handle(Message message) throws Exception;
}
