package dev.queenj.kafka.wire;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.kafka.api.KafkaResponse;
import dev.queenj.kafka.security.ScramUsers;
import dev.queenj.kafka.testing.KafkaFrames;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A SASL connection's state machine over users in Postgres, with the session clock in the test's hands: the
 * principal it names, what it lets through, KIP-368 session expiry and re-authentication.
 */
class SaslAuthenticatorTest {
  private static final long REAUTH_MS = 1_000;
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);
  private final AtomicLong clock = new AtomicLong();
  private final List<ApiKeys> passed = new ArrayList<>();
  private EmbeddedChannel channel;
  private int correlationId;

  @BeforeEach
  void connect() {
    ScramUsers users = new ScramUsers(new ScramCredentials(db.database()));
    await(users.ensure("alice", "alice-secret"));
    await(users.ensure("bob", "bob-secret"));
    channel = new EmbeddedChannel(new SaslAuthenticator(List.of("PLAIN", "SCRAM-SHA-256"), users, REAUTH_MS,
        clock::get), new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object message) {
            KafkaRequest request = (KafkaRequest) message;
            passed.add(request.header().apiKey());
            request.release();
          }
        });
  }

  @Test
  void plainNamesThePrincipalAndOnlyThenLetsRequestsThrough() {
    send(new ApiVersionsRequest.Builder().build((short) 3));
    assertThat(passed).containsExactly(ApiKeys.API_VERSIONS);
    assertThat(ConnectionPrincipal.of(channel)).isEqualTo(KafkaPrincipal.ANONYMOUS);

    SaslAuthenticateResponseData answer = authenticate("alice", "alice-secret");

    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    assertThat(answer.sessionLifetimeMs()).isEqualTo(REAUTH_MS);
    assertThat(ConnectionPrincipal.of(channel)).isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
    send(MetadataRequest.Builder.allTopics().build((short) 12));
    assertThat(passed).containsExactly(ApiKeys.API_VERSIONS, ApiKeys.METADATA);
  }

  @Test
  void aSessionPastItsLifetimeIsClosedOnItsNextRequest() {
    authenticate("alice", "alice-secret");
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(REAUTH_MS + 1));

    send(MetadataRequest.Builder.allTopics().build((short) 12));

    assertThat(channel.isOpen()).isFalse();
    assertThat(passed).isEmpty();
  }

  @Test
  void reauthenticatingRenewsTheSessionAsTheSameUserOnly() {
    authenticate("alice", "alice-secret");
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * 9 / 10));
    assertThat(Errors.forCode(authenticate("alice", "alice-secret").errorCode())).isEqualTo(Errors.NONE);
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * 9 / 10));

    send(MetadataRequest.Builder.allTopics().build((short) 12));
    assertThat(passed).containsExactly(ApiKeys.METADATA);

    SaslAuthenticateResponseData other = authenticate("bob", "bob-secret");
    assertThat(Errors.forCode(other.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
    assertThat(other.errorMessage()).contains("Cannot change principals during re-authentication");
    assertThat(channel.isOpen()).isFalse();
    assertThat(ConnectionPrincipal.of(channel)).isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
  }

  @Test
  void aWrongPasswordIsAnsweredThenTheConnectionCloses() {
    SaslAuthenticateResponseData answer = authenticate("alice", "not-her-password");

    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
    assertThat(answer.errorMessage()).startsWith("Authentication failed");
    assertThat(channel.isOpen()).isFalse();
    assertThat(ConnectionPrincipal.of(channel)).isEqualTo(KafkaPrincipal.ANONYMOUS);
  }

  private SaslAuthenticateResponseData authenticate(String user, String password) {
    SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) roundTrip(new SaslHandshakeRequest.Builder(
        new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
    assertThat(Errors.forCode(handshake.errorCode())).isEqualTo(Errors.NONE);
    return (SaslAuthenticateResponseData) roundTrip(new SaslAuthenticateRequest.Builder(
        new SaslAuthenticateRequestData().setAuthBytes(("\0" + user + "\0" + password)
            .getBytes(StandardCharsets.UTF_8))).build((short) 2));
  }

  private Object roundTrip(AbstractRequest request) {
    send(request);
    Object[] answer = new Object[1];
    Eventually.until(WAIT, () -> {
      channel.runPendingTasks();
      answer[0] = channel.readOutbound();
      return answer[0] != null;
    }, () -> "an answer to " + request.apiKey());
    return ((KafkaResponse) answer[0]).body();
  }

  private void send(AbstractRequest request) {
    ByteBuffer frame = KafkaFrames.frame(KafkaFrames.header(request.apiKey(), request.version(), ++correlationId),
        request);
    frame.position(Integer.BYTES);
    try {
      channel.writeInbound(KafkaRequest.parse(Unpooled.wrappedBuffer(frame)));
    } catch (MalformedRequestException e) {
      throw new AssertionError(e);
    }
  }
}
