package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name extraction the dashboard and rule checks rely on. */
class PromQlTest {

  /** Functions, aggregations, grouping labels, matchers, ranges and variables are not metric names. */
  @Test
  void findsOnlyMetricNames() {
    assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, instance) "
        + "(rate(fleetcast_result_store_batch_seconds_bucket{instance=~\"$node\"}[$__rate_interval])))"))
        .containsExactly("fleetcast_result_store_batch_seconds_bucket");
    assertThat(PromQl.metricNames("sum(increase(fleetcast_rollout_transitions_total{state=\"halted\"}[15m])) > 0"))
        .containsExactly("fleetcast_rollout_transitions_total");
    assertThat(PromQl.metricNames("fleetcast:pg_pool_ratio:max_by_instance >= 0.9 and on (instance) "
        + "sum by (instance) (vertx_pool_queue_pending{pool_type=\"sql\"}) > 0"))
        .containsExactly("fleetcast:pg_pool_ratio:max_by_instance", "vertx_pool_queue_pending");
    assertThat(PromQl.metricNames("max_over_time(max(fleetcast_cluster_members)[1h:1m]) / 2"))
        .containsExactly("fleetcast_cluster_members");
    assertThat(PromQl.metricNames("sum without (role) (up) * 1e3")).containsExactly("up");
  }

  /** Histogram series resolve to the documented histogram. */
  @Test
  void seriesResolveToTheirFamily() {
    Set<String> known = Set.of("fleetcast_routing_latency_seconds", "fleetcast_tasks_dispatched_total");
    assertThat(PromQl.family("fleetcast_routing_latency_seconds_bucket", known)).isEqualTo("fleetcast_routing_latency_seconds");
    assertThat(PromQl.family("fleetcast_tasks_dispatched_total", known)).isEqualTo("fleetcast_tasks_dispatched_total");
    assertThat(PromQl.family("fleetcast_made_up_count", known)).isEqualTo("fleetcast_made_up_count");
  }
}
