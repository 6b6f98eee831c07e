package dev.queenj.kafka.security;

import dev.queenj.core.auth.ScramCredentials.Info;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * DescribeUserScramCredentials (key 50), v0 ({@code kafka-configs.sh --describe --entity-type users}): each user's
 * mechanisms and iteration counts, never keys or salts. No names (or an empty list) describes every user; a named
 * user without credentials answers RESOURCE_NOT_FOUND, a name given twice DUPLICATE_RESOURCE, as Kafka does.
 */
public final class DescribeUserScramCredentialsHandler implements
    ApiHandler<DescribeUserScramCredentialsRequestData, DescribeUserScramCredentialsResponseData> {
  private static final SupportedApi<DescribeUserScramCredentialsRequestData> SUPPORTED = SupportedApi.of(
      ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0, DescribeUserScramCredentialsRequestData.class);

  private final ScramUsers users;

  public DescribeUserScramCredentialsHandler(ScramUsers users) {
    this.users = users;
  }

  @Override
  public SupportedApi<DescribeUserScramCredentialsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeUserScramCredentialsResponseData> handle(RequestContext context,
      DescribeUserScramCredentialsRequestData request) {
    return users.store().describe().map(stored -> {
      List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
      if (request.users() == null || request.users().isEmpty()) {
        stored.forEach((user, infos) -> results.add(described(user, infos)));
      } else {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        request.users().forEach(name -> {
          if (!seen.add(name.name())) {
            duplicated.add(name.name());
          }
        });
        Set<String> answered = new HashSet<>();
        for (UserName name : request.users()) {
          String user = name.name();
          if (!answered.add(user)) {
            continue;
          }
          results.add(duplicated.contains(user) ? failed(user, Errors.DUPLICATE_RESOURCE,
              "Cannot describe SCRAM credentials for the same user twice in a single request: " + user)
              : described(user, stored));
        }
      }
      return new DescribeUserScramCredentialsResponseData().setErrorCode(Errors.NONE.code()).setResults(results);
    }).toCompletionStage();
  }

  private static DescribeUserScramCredentialsResult described(String user, Map<String, List<Info>> stored) {
    List<Info> infos = stored.get(user);
    return infos == null ? failed(user, Errors.RESOURCE_NOT_FOUND,
        "Attempt to describe a user credential that does not exist: " + user) : described(user, infos);
  }

  private static DescribeUserScramCredentialsResult described(String user, List<Info> infos) {
    List<CredentialInfo> credentials = new ArrayList<>();
    for (Info info : infos) {
      credentials.add(new CredentialInfo().setMechanism(ScramMechanism.forMechanismName(info.mechanism()).type())
          .setIterations(info.iterations()));
    }
    return new DescribeUserScramCredentialsResult().setUser(user).setErrorCode(Errors.NONE.code())
        .setCredentialInfos(credentials);
  }

  private static DescribeUserScramCredentialsResult failed(String user, Errors error, String message) {
    return new DescribeUserScramCredentialsResult().setUser(user).setErrorCode(error.code()).setErrorMessage(message);
  }

  @Override
  public DescribeUserScramCredentialsResponseData errorResponse(RequestContext context,
      DescribeUserScramCredentialsRequestData request, Errors error) {
    return new DescribeUserScramCredentialsResponseData().setErrorCode(error.code()).setErrorMessage(error.message());
  }
}
