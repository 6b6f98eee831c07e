package dev.queenj.kafka.group;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.metadata.Brokers;
import java.util.List;

/** The group APIs over one {@link GroupCoordinator}, for the API table. */
public final class GroupApis {
  private GroupApis() {}

  public static List<ApiHandler<?, ?>> over(GroupCoordinator coordinator, KafkaTransactions transactions,
      Brokers brokers) {
    return List.of(new FindCoordinatorHandler(coordinator, brokers), new JoinGroupHandler(coordinator),
        new SyncGroupHandler(coordinator), new HeartbeatHandler(coordinator), new LeaveGroupHandler(coordinator),
        new OffsetCommitHandler(coordinator), new OffsetFetchHandler(coordinator),
        new DescribeGroupsHandler(coordinator), new ListGroupsHandler(coordinator),
        new DeleteGroupsHandler(coordinator), new OffsetDeleteHandler(coordinator),
        new TxnOffsetCommitHandler(coordinator, transactions));
  }
}
