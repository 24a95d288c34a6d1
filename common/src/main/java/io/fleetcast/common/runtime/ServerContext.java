package io.fleetcast.common.runtime;

import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.health.Readiness;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What every part of one server process (gateway, node, depot) shares: the clustered Vert.x and
 * its Hazelcast member, the one database pool, the agent location registry, the metrics registry
 * and the readiness checks. Built once by the process's runtime.
 */
public record ServerContext(Vertx vertx, HazelcastInstance hazelcast, Pool pool, AgentLocationRegistry locations,
    PrometheusMeterRegistry registry, Readiness readiness) {}
