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

  private final Asset page;
  private final Map<String, Asset> assets;

  public DashboardRoutes() {
    this.page = load("index.html", "text/html; charset=utf-8");
    this.assets = Map.of("app.js", load("app.js", "text/javascript; charset=utf-8"),
        "app.css", load("app.css", "text/css; charset=utf-8"));
  }

  public void mount(Router router) {
    router.get("/").handler(ctx -> send(ctx, page));
    router.get("/dashboard/:asset").handler(ctx -> {
      Asset asset = assets.get(ctx.pathParam("asset"));
      if (asset == null) {
        ctx.next(); // no such asset: the router's 404, as for any unknown path
      } else {
        send(ctx, asset);
      }
    });
  }

  private static void send(RoutingContext ctx, Asset asset) {
    // no-cache: a browser revalidates, so an upgraded server's page is never mixed with an old script
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
