package dev.queenj.kafka.api;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What a handler serves: one API, the versions of it that are fully implemented, and its request message type. The
 * range must lie within what kafka-clients can read and write, or we would advertise versions we cannot parse.
 * {@code advertisedMinVersion} is normally {@code minVersion}; it is lower only where clients need to see older
 * versions that are then refused with UNSUPPORTED_VERSION (Produce: librdkafka disables compression unless the
 * range starts at 0).
 */
public record SupportedApi<Q extends ApiMessage>(ApiKeys apiKey, short minVersion, short maxVersion,
    Class<Q> requestType, short advertisedMinVersion) {

  public SupportedApi {
    if (advertisedMinVersion < 0 || advertisedMinVersion > minVersion) {
      throw new IllegalArgumentException(apiKey.name + " cannot advertise from v" + advertisedMinVersion
          + " when it serves from v" + minVersion);
    }
    if (minVersion < apiKey.oldestVersion() || maxVersion > apiKey.latestVersion() || minVersion > maxVersion) {
      throw new IllegalArgumentException(apiKey.name + " versions " + minVersion + "-" + maxVersion
          + " are not within " + apiKey.oldestVersion() + "-" + apiKey.latestVersion());
    }
    if (!requestType.isInstance(apiKey.messageType.newRequest())) {
      throw new IllegalArgumentException(apiKey.name + " requests are not " + requestType.getSimpleName());
    }
  }

  public static <Q extends ApiMessage> SupportedApi<Q> of(ApiKeys apiKey, int minVersion, int maxVersion,
      Class<Q> requestType) {
    return new SupportedApi<>(apiKey, (short) minVersion, (short) maxVersion, requestType, (short) minVersion);
  }

  /** Serves {@code minVersion..maxVersion} but advertises from {@code advertisedMinVersion}, refusing the rest. */
  public static <Q extends ApiMessage> SupportedApi<Q> refusingOlder(ApiKeys apiKey, int advertisedMinVersion,
      int minVersion, int maxVersion, Class<Q> requestType) {
    return new SupportedApi<>(apiKey, (short) minVersion, (short) maxVersion, requestType,
        (short) advertisedMinVersion);
  }

  public boolean supports(short version) {
    return version >= minVersion && version <= maxVersion;
  }

  /** This API's entry in an ApiVersions answer. */
  public ApiVersion toApiVersion() {
    return new ApiVersion().setApiKey(apiKey.id).setMinVersion(advertisedMinVersion).setMaxVersion(maxVersion);
  }
}
