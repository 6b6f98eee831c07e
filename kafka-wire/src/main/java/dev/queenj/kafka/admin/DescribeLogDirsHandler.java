package dev.queenj.kafka.admin;

import dev.queenj.core.log.LogSize;
import dev.queenj.core.log.LogSizes;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (key 35), v1–4: one log directory, named {@code postgresql:<database>} since every log is rows in
 * that database, holding every partition (or those asked for; unknown ones are left out, as a Kafka broker leaves out
 * what it does not host). A partition's size is the bytes of its log from the log start, from the byte positions
 * Postgres keeps; the offset lag is 0 and no log is a future one (there are no replicas to move). The volume's total
 * and usable bytes are unknown (-1): Postgres' disk is not this server's to measure.
 */
public final class DescribeLogDirsHandler
    implements ApiHandler<DescribeLogDirsRequestData, DescribeLogDirsResponseData> {
  private static final SupportedApi<DescribeLogDirsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_LOG_DIRS, 1, 4, DescribeLogDirsRequestData.class);
  /** Kafka's DescribeLogDirsResponse.UNKNOWN_VOLUME_BYTES. */
  private static final long UNKNOWN_VOLUME_BYTES = -1;
  private static final String LOG_DIR_PREFIX = "postgresql:";

  private final LogSizes sizes;

  public DescribeLogDirsHandler(LogSizes sizes) {
    this.sizes = sizes;
  }

  @Override
  public SupportedApi<DescribeLogDirsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeLogDirsResponseData> handle(RequestContext context,
      DescribeLogDirsRequestData request) {
    Set<TopicPartition> wanted = null;
    Set<String> topics = null;
    if (request.topics() != null) {
      wanted = new HashSet<>();
      topics = new HashSet<>();
      for (DescribableLogDirTopic topic : request.topics()) {
        topics.add(topic.topic());
        for (int partition : topic.partitions()) {
          wanted.add(new TopicPartition(topic.topic(), partition));
        }
      }
    }
    Set<TopicPartition> only = wanted;
    return Stages.of(sizes.of(topics)).thenApply(found -> {
      Map<String, DescribeLogDirsTopic> byTopic = new LinkedHashMap<>();
      for (LogSize log : found.logs()) {
        if (only != null && !only.contains(new TopicPartition(log.queue(), log.kafkaPartition()))) {
          continue;
        }
        byTopic.computeIfAbsent(log.queue(), name -> new DescribeLogDirsTopic().setName(name)).partitions()
            .add(new DescribeLogDirsPartition().setPartitionIndex(log.kafkaPartition()).setPartitionSize(log.bytes())
                .setOffsetLag(0).setIsFutureKey(false));
      }
      return answer(found.database(), byTopic.values());
    });
  }

  private static DescribeLogDirsResponseData answer(String database, Collection<DescribeLogDirsTopic> topics) {
    DescribeLogDirsResult dir = new DescribeLogDirsResult().setErrorCode(Errors.NONE.code())
        .setLogDir(LOG_DIR_PREFIX + database)
        .setTotalBytes(UNKNOWN_VOLUME_BYTES).setUsableBytes(UNKNOWN_VOLUME_BYTES);
    dir.topics().addAll(topics);
    DescribeLogDirsResponseData answer = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
    answer.results().add(dir);
    return answer;
  }

  @Override
  public DescribeLogDirsResponseData errorResponse(RequestContext context, DescribeLogDirsRequestData request,
      Errors error) {
    return new DescribeLogDirsResponseData().setErrorCode(error.code());
  }
}
