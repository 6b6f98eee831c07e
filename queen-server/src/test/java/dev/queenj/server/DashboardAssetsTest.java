package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's files as plain HTTP, without a browser (so this runs where chromium is missing, unlike
 * {@link DashboardBrowserTest}): each with its type, and an unknown asset the router's 404.
 */
@ExtendWith(RunningServer.class)
class DashboardAssetsTest {
  private final TestServer server;

  DashboardAssetsTest(TestServer server) {
    this.server = server;
  }

  @Test
  void thePageAndItsAssetsAreServedWithTheirTypes() {
    Reply page = server.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body().asText()).contains("<script src=\"/dashboard/app.js\"></script>");
    assertThat(server.get("/dashboard/app.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(server.get("/dashboard/app.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @Test
  void anUnknownAssetIs404() {
    Reply unknown = server.get("/dashboard/missing.js");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("error").asText()).isNotEmpty();
  }
}
