package dev.queenj.kafka.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ApiTableTest {

  @Test
  void advertisesApiVersionsAndEveryRegisteredApiWithItsRange() {
    ApiTable table = ApiTable.of(List.of(metadata(1, 9)));

    assertThat(table.advertised()).extracting(ApiVersion::apiKey, ApiVersion::minVersion, ApiVersion::maxVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ApiKeys.METADATA.id, (short) 1, (short) 9),
            org.assertj.core.groups.Tuple.tuple(ApiKeys.API_VERSIONS.id, (short) 0, (short) 4));
    assertThat(table.serves(ApiKeys.METADATA)).isTrue();
    assertThat(table.serves(ApiKeys.PRODUCE)).isFalse();
  }

  @Test
  void refusesVersionsKafkaClientsCannotReadAndTwoHandlersForOneApi() {
    assertThatThrownBy(() -> SupportedApi.of(ApiKeys.METADATA, 0, ApiKeys.METADATA.latestVersion() + 1,
        MetadataRequestData.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiTable.of(List.of(metadata(0, 12), metadata(0, 12))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ApiHandler<MetadataRequestData, MetadataResponseData> metadata(int min, int max) {
    return new ApiHandler<>() {
      @Override
      public SupportedApi<MetadataRequestData> supported() {
        return SupportedApi.of(ApiKeys.METADATA, min, max, MetadataRequestData.class);
      }

      @Override
      public CompletionStage<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        return CompletableFuture.completedFuture(new MetadataResponseData());
      }

      @Override
      public MetadataResponseData errorResponse(RequestContext context, MetadataRequestData request, Errors error) {
        return new MetadataResponseData();
      }
    };
  }
}
