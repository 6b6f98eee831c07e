package dev.queenj.http;

import dev.queenj.http.auth.JwtConfig;
import java.util.Set;

/**
 * Settings of the native HTTP API.
 *
 * @param port listening port (0 picks a free one)
 * @param maxBodyBytes larger request bodies are refused with 413 before they are buffered
 * @param defaultTimeoutMs long-poll timeout when a pop names none
 * @param defaultBatch pop batch size when a pop names none
 * @param defaultSubscriptionMode subscription mode for groups whose first pop names none ("", "all", or "new" and
 *     Queen's "new-only")
 * @param jwt bearer-token authentication (JWT_* settings), {@link JwtConfig#DISABLED} by default
 */
public record HttpConfig(int port, int maxBodyBytes, int defaultTimeoutMs, int defaultBatch,
    String defaultSubscriptionMode, JwtConfig jwt) {

  public static final int DEFAULT_PORT = 6632;
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_BATCH = 1;
  /** Subscription modes that start a group at "now"; Queen reads every other mode as "from the beginning". */
  public static final Set<String> NEW_ONLY_MODES = Set.of("new", "new-only", "now");

  public HttpConfig {
    if (jwt == null) {
      jwt = JwtConfig.DISABLED;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("HTTP port must be between 0 and 65535, got " + port);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maximum body size must be at least 1024 bytes, got " + maxBodyBytes);
    }
    if (defaultTimeoutMs < 0) {
      throw new IllegalArgumentException("default timeout must not be negative, got " + defaultTimeoutMs);
    }
    if (defaultBatch < 1) {
      throw new IllegalArgumentException("default batch must be at least 1, got " + defaultBatch);
    }
    if (defaultSubscriptionMode == null) {
      defaultSubscriptionMode = "";
    }
    if (!defaultSubscriptionMode.isEmpty() && !defaultSubscriptionMode.equals("all")
        && !NEW_ONLY_MODES.contains(defaultSubscriptionMode)) {
      throw new IllegalArgumentException("default subscription mode must be empty, 'all', 'new' or 'new-only', got '"
          + defaultSubscriptionMode + "'");
    }
  }

  /** Without authentication. */
  public HttpConfig(int port, int maxBodyBytes, int defaultTimeoutMs, int defaultBatch,
      String defaultSubscriptionMode) {
    this(port, maxBodyBytes, defaultTimeoutMs, defaultBatch, defaultSubscriptionMode, JwtConfig.DISABLED);
  }

  /** The same with this authentication. */
  public HttpConfig withJwt(JwtConfig jwt) {
    return new HttpConfig(port, maxBodyBytes, defaultTimeoutMs, defaultBatch, defaultSubscriptionMode, jwt);
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_BATCH, "");
  }
}
