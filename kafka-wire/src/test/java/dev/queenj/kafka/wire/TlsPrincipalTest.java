package dev.queenj.kafka.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.security.TlsSettings;
import dev.queenj.kafka.testing.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The principal of an SSL connection, from a real TLS handshake between two in-memory channels: the client
 * certificate's subject DN as Kafka's default principal builder gives it, or {@code User:ANONYMOUS}.
 */
class TlsPrincipalTest {
  private static final int MAX_ROUND_TRIPS = 20;
  private static TestCertificates certificates;

  @BeforeAll
  static void certificates() {
    certificates = TestCertificates.create();
  }

  @Test
  void aClientCertificateNamesThePrincipalByItsFullSubjectDn() throws SSLException {
    EmbeddedChannel server = handshake("requested", true, true);

    assertThat(ConnectionPrincipal.of(server))
        .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "CN=alice,OU=eng,O=queen-test"))
        .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, TestCertificates.CLIENT_SUBJECT));
  }

  @Test
  void withoutAClientCertificateTheConnectionStaysAnonymous() throws SSLException {
    assertThat(ConnectionPrincipal.of(handshake("requested", false, true))).isEqualTo(KafkaPrincipal.ANONYMOUS);
  }

  @Test
  void onSaslSslTheCertificateLeavesThePrincipalToSasl() throws SSLException {
    assertThat(ConnectionPrincipal.of(handshake("required", true, false))).isEqualTo(KafkaPrincipal.ANONYMOUS);
  }

  /** The server side after a completed handshake. */
  private static EmbeddedChannel handshake(String clientAuth, boolean clientCertificate, boolean namesPrincipal)
      throws SSLException {
    SslContext serverContext = new TlsSettings(certificates.file("server.pem").toString(),
        certificates.file("server.key").toString(), "", certificates.file("ca.pem").toString(), clientAuth).context();
    SslContextBuilder clientBuilder = SslContextBuilder.forClient()
        .trustManager(certificates.file("ca.pem").toFile());
    if (clientCertificate) {
      clientBuilder.keyManager(certificates.file("client.pem").toFile(), certificates.file("client.key").toFile());
    }
    EmbeddedChannel server = new EmbeddedChannel(serverContext.newHandler(ByteBufAllocator.DEFAULT),
        new TlsPrincipal(namesPrincipal));
    EmbeddedChannel client = new EmbeddedChannel(
        clientBuilder.build().newHandler(ByteBufAllocator.DEFAULT, "localhost", 9093));
    for (int i = 0; i < MAX_ROUND_TRIPS && !(done(client) && done(server)); i++) {
      move(client, server);
      move(server, client);
    }
    assertThat(server.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).as("handshake").isTrue();
    assertThat(server.pipeline().get(TlsPrincipal.class)).as("removed once it named the principal").isNull();
    return server;
  }

  private static boolean done(EmbeddedChannel channel) {
    return channel.pipeline().get(SslHandler.class).handshakeFuture().isDone();
  }

  private static void move(EmbeddedChannel from, EmbeddedChannel to) {
    from.runPendingTasks();
    Object bytes;
    while ((bytes = from.readOutbound()) != null) {
      to.writeInbound(bytes);
    }
    to.runPendingTasks();
  }
}
