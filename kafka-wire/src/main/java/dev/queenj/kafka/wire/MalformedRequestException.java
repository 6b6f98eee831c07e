package dev.queenj.kafka.wire;

/** A frame that is not a request we can read; its connection is closed. */
final class MalformedRequestException extends Exception {
  MalformedRequestException(String reason) {
    super(reason, null, false, false);
  }
}
