package dev.queenj.kafka.produce;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * InitProducerId (key 22), v0–5, for idempotent producers only: every request gets a producer id never handed out
 * before, at epoch 0, allocated in Postgres (so ids stay unique across restarts and instances). An epoch bump
 * (KIP-360: a known id and epoch in the request) gets a new id too, which the Java producer accepts the same way.
 * Kafka transactions are not supported: a request with a {@code transactional.id} is refused with INVALID_REQUEST,
 * which the producer reports as a fatal error naming an incompatible broker.
 */
public final class InitProducerIdHandler
    implements ApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
  private static final SupportedApi<InitProducerIdRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.INIT_PRODUCER_ID, 0, 5, InitProducerIdRequestData.class);
  private static final String ALLOCATE = Sql.load(InitProducerIdHandler.class, "producer_id_allocate.sql");

  private final Database database;

  public InitProducerIdHandler(Database database) {
    this.database = database;
  }

  @Override
  public SupportedApi<InitProducerIdRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<InitProducerIdResponseData> handle(RequestContext context,
      InitProducerIdRequestData request) {
    if (request.transactionalId() != null) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.INVALID_REQUEST));
    }
    return Stages.of(database.pool().preparedQuery(ALLOCATE).execute()).thenApply(rows ->
        new InitProducerIdResponseData().setErrorCode(Errors.NONE.code())
            .setProducerId(rows.iterator().next().getLong("producer_id")).setProducerEpoch((short) 0));
  }

  @Override
  public InitProducerIdResponseData errorResponse(RequestContext context, InitProducerIdRequestData request,
      Errors error) {
    return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(RecordBatch.NO_PRODUCER_ID)
        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
  }
}
