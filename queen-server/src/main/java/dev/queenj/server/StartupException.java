package dev.queenj.server;

/** The server could not start; the message is one line meant for the person who started it. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(oneLine(message, cause), cause);
  }

  /** Driver and OS messages may span lines or be missing; the person starting the server gets one line anyway. */
  private static String oneLine(String message, Throwable cause) {
    String text = message;
    if (text == null || text.isBlank()) {
      text = cause != null ? cause.toString() : "unknown reason";
    }
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
