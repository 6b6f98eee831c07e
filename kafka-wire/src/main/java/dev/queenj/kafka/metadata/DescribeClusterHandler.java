package dev.queenj.kafka.metadata;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.api.Uuids;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.errors.MismatchedEndpointTypeException;
import org.apache.kafka.common.errors.UnsupportedEndpointTypeException;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster (key 60), v0–1: the cluster id shared by every instance on the database, the live instances as
 * brokers (as Metadata lists them) and the lowest node id as the controller. Brokers are the only endpoints a client may ask about (v1): there is no separate
 * controller quorum to describe.
 */
public final class DescribeClusterHandler
    implements ApiHandler<DescribeClusterRequestData, DescribeClusterResponseData> {
  private static final SupportedApi<DescribeClusterRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_CLUSTER, 0, 1, DescribeClusterRequestData.class);
  /** Since v1 a client names which endpoints it wants; before, it always meant brokers. */
  private static final byte BROKER_ENDPOINTS = 1;
  private static final byte CONTROLLER_ENDPOINTS = 2;

  private final String clusterId;
  private final Brokers brokers;

  public DescribeClusterHandler(UUID clusterId, Brokers brokers) {
    this.clusterId = Uuids.toKafka(clusterId).toString();
    this.brokers = brokers;
  }

  @Override
  public SupportedApi<DescribeClusterRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeClusterResponseData> handle(RequestContext context,
      DescribeClusterRequestData request) {
    if (request.endpointType() == CONTROLLER_ENDPOINTS) {
      throw new MismatchedEndpointTypeException("The request was sent to a broker endpoint, but asked for"
          + " controllers; this cluster has no separate controller endpoints.");
    }
    if (request.endpointType() != BROKER_ENDPOINTS) {
      throw new UnsupportedEndpointTypeException("Unknown endpoint type " + request.endpointType());
    }
    return Stages.of(brokers.view()).thenApply(view -> {
      List<Broker> live = brokers.on(view, context);
      DescribeClusterResponseData answer = new DescribeClusterResponseData().setErrorCode(Errors.NONE.code())
          .setEndpointType(BROKER_ENDPOINTS).setClusterId(clusterId).setControllerId(live.get(0).nodeId());
      for (Broker broker : live) {
        answer.brokers().add(new DescribeClusterBroker().setBrokerId(broker.nodeId()).setHost(broker.host())
            .setPort(broker.port()));
      }
      return answer;
    });
  }

  @Override
  public DescribeClusterResponseData errorResponse(RequestContext context, DescribeClusterRequestData request,
      Errors error) {
    return new DescribeClusterResponseData().setErrorCode(error.code()).setErrorMessage(error.message())
        .setEndpointType(request.endpointType());
  }
}
