package io.fleetcast.agent.content;

/**
 * How an agent orders depots (opsi "dynamic depot selection"): {@code SUBNET} puts the depots of
 * its site or serving its subnets first, then the rest, each group by connect latency;
 * {@code LATENCY} orders all depots by connect latency alone; {@code FIRST_REACHABLE} keeps the
 * gateway's order, skipping depots that did not answer the probe. Peers of the agent's own
 * subnet always come first and the origin last.
 */
public enum SourceRule { SUBNET, LATENCY, FIRST_REACHABLE }
