package dev.queenj.kafka.security;

import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * AlterUserScramCredentials (key 51), v0 ({@code kafka-configs.sh --alter --add-config 'SCRAM-SHA-256=[password=…]'
 * --entity-type users}): the client sends salt and salted password, from which the stored and server keys are
 * derived; the password never reaches the server. One result per user, with Kafka's checks: an unknown mechanism is
 * UNSUPPORTED_SASL_MECHANISM, an iteration count outside the mechanism's bounds or an empty user
 * UNACCEPTABLE_CREDENTIAL, a user's mechanism altered twice DUPLICATE_RESOURCE, deleting a credential that does not
 * exist RESOURCE_NOT_FOUND; a user with any such error has none of its alterations applied.
 */
public final class AlterUserScramCredentialsHandler implements
    ApiHandler<AlterUserScramCredentialsRequestData, AlterUserScramCredentialsResponseData> {
  private static final SupportedApi<AlterUserScramCredentialsRequestData> SUPPORTED = SupportedApi.of(
      ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0, AlterUserScramCredentialsRequestData.class);

  private final ScramUsers users;

  public AlterUserScramCredentialsHandler(ScramUsers users) {
    this.users = users;
  }

  /** One alteration: a deletion has no credential. */
  private record Alteration(ScramMechanism mechanism, ScramCredentials.Stored credential) {}

  /** A user's alterations, or why none of them is applied. */
  private static final class UserChange {
    final List<Alteration> alterations = new ArrayList<>();
    final Set<Byte> mechanisms = new HashSet<>();
    Errors error = Errors.NONE;
    String message;

    void refuse(Errors refusal, String why) {
      if (error == Errors.NONE) {
        error = refusal;
        message = why;
      }
    }
  }

  @Override
  public SupportedApi<AlterUserScramCredentialsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<AlterUserScramCredentialsResponseData> handle(RequestContext context,
      AlterUserScramCredentialsRequestData request) {
    Map<String, UserChange> changes = new LinkedHashMap<>();
    request.deletions().forEach(deletion -> {
      UserChange change = changes.computeIfAbsent(deletion.name(), user -> new UserChange());
      ScramMechanism mechanism = check(deletion.name(), deletion.mechanism(), change);
      if (mechanism != null) {
        change.alterations.add(new Alteration(mechanism, null));
      }
    });
    request.upsertions().forEach(upsertion -> {
      UserChange change = changes.computeIfAbsent(upsertion.name(), user -> new UserChange());
      ScramMechanism mechanism = check(upsertion.name(), upsertion.mechanism(), change);
      if (mechanism == null) {
        return;
      }
      if (upsertion.iterations() < mechanism.minIterations()) {
        change.refuse(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
      } else if (upsertion.iterations() > mechanism.maxIterations()) {
        change.refuse(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
      } else {
        change.alterations.add(new Alteration(mechanism, ScramUsers.fromSaltedPassword(mechanism, upsertion.salt(),
            upsertion.saltedPassword(), upsertion.iterations())));
      }
    });
    List<AlterUserScramCredentialsResult> results = new ArrayList<>();
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<String, UserChange> entry : changes.entrySet()) {
      String user = entry.getKey();
      UserChange change = entry.getValue();
      AlterUserScramCredentialsResult result = new AlterUserScramCredentialsResult().setUser(user);
      results.add(result);
      done = done.compose(previous -> apply(user, change)).map(applied -> {
        result.setErrorCode(change.error.code()).setErrorMessage(change.message);
        return null;
      });
    }
    return done.map(all -> new AlterUserScramCredentialsResponseData().setResults(results)).toCompletionStage();
  }

  /** The mechanism, or null after refusing the user's change. */
  private static ScramMechanism check(String user, byte type, UserChange change) {
    if (user == null || user.isEmpty()) {
      change.refuse(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
      return null;
    }
    ScramMechanism mechanism = Arrays.stream(ScramMechanism.values()).filter(m -> m.type() == type)
        .findFirst().orElse(null);
    if (mechanism == null) {
      change.refuse(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
      return null;
    }
    if (!change.mechanisms.add(type)) {
      change.refuse(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
      return null;
    }
    return mechanism;
  }

  /** Applies a user's alterations unless the user's change was refused; a missing deleted credential refuses. */
  private Future<Void> apply(String user, UserChange change) {
    if (change.error != Errors.NONE) {
      return Future.succeededFuture();
    }
    return users.credentials(user).compose(stored -> {
      for (Alteration alteration : change.alterations) {
        if (alteration.credential() == null && !stored.containsKey(alteration.mechanism().mechanismName())) {
          change.refuse(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
          return Future.succeededFuture();
        }
      }
      Future<Void> done = Future.succeededFuture();
      for (Alteration alteration : change.alterations) {
        String mechanism = alteration.mechanism().mechanismName();
        done = done.compose(previous -> alteration.credential() == null
            ? users.store().remove(user, mechanism).mapEmpty()
            : users.store().put(user, mechanism, alteration.credential()));
      }
      return done;
    });
  }

  @Override
  public AlterUserScramCredentialsResponseData errorResponse(RequestContext context,
      AlterUserScramCredentialsRequestData request, Errors error) {
    List<AlterUserScramCredentialsResult> results = new ArrayList<>();
    Set<String> named = new LinkedHashSet<>();
    request.deletions().forEach(deletion -> named.add(deletion.name()));
    request.upsertions().forEach(upsertion -> named.add(upsertion.name()));
    named.forEach(user -> results.add(new AlterUserScramCredentialsResult().setUser(user).setErrorCode(error.code())
        .setErrorMessage(error.message())));
    return new AlterUserScramCredentialsResponseData().setResults(results);
  }
}
