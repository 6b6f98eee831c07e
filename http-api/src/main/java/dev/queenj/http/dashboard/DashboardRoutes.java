package dev.queenj.http.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web dashboard: one HTML page at {@code /} and its script and style sheet under {@code /dashboard/}, plain files
 * in this jar read once at start (no build step, no CDN: the page works on a machine without internet). Everything
 * the page shows it reads from the JSON API in the browser, so these routes are public like Queen's dashboard; with
 * JWT on, the page sends the token the operator pastes in it.
 */
public final class DashboardRoutes {
  private static final String RESOURCES = "/dev/queenj/http/dashboard/";

  private record Asset(String contentType, Buffer bytes) {}

  /** Path to file, as mounted; {@code RouteRoles} has a public row for each path. */
  private final Map<String, Asset> files;

  public DashboardRoutes() {
    this.files = Map.of("/", load("index.html", "text/html; charset=utf-8"),
        "/dashboard/app.js", load("app.js", "text/javascript; charset=utf-8"),
        "/dashboard/app.css", load("app.css", "text/css; charset=utf-8"));
  }

  /** One exact route per file: any other path under {@code /dashboard/} is the router's 404, as any unknown path. */
  public void mount(Router router) {
    files.forEach((path, asset) -> router.get(path).handler(ctx -> send(ctx, asset)));
  }

  private static void send(RoutingContext ctx, Asset asset) {
    // no-cache: a browser asks again each time (three small files), so an upgraded server's page never runs an old
    // script from the browser's cache
    ctx.response().putHeader("Content-Type", asset.contentType()).putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff").end(asset.bytes());
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset " + name + " is missing from the jar");
      }
      return new Asset(contentType, Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
