package dev.queenj.http;

import dev.queenj.core.error.InvalidRequestException;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Typed query (and path) parameters with the API's conventions: booleans are true for {@code true} or {@code 1}.
 */
public final class QueryParams {
  private QueryParams() {}

  public static String string(RoutingContext ctx, String name, String fallback) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  public static boolean bool(RoutingContext ctx, String name) {
    return bool(ctx, name, false);
  }

  /** {@code fallback} when the parameter is absent or empty; otherwise true only for {@code true} or {@code 1}. */
  public static boolean bool(RoutingContext ctx, String name, boolean fallback) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  /** An ISO-8601 timestamp parameter; null when absent or empty, 400 when malformed. */
  public static OffsetDateTime time(RoutingContext ctx, String name) {
    String text = string(ctx, name, null);
    return text == null ? null : Json.parseTime(text, name);
  }

  public static int integer(RoutingContext ctx, String name, int fallback) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be an integer, got '" + value + "'");
    }
  }

  /** A path parameter that must be a UUID (a partition id): 400 naming it otherwise. */
  public static UUID pathUuid(RoutingContext ctx, String name) {
    String text = ctx.pathParam(name);
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(name + " must be a UUID, got '" + text + "'");
    }
  }
}
