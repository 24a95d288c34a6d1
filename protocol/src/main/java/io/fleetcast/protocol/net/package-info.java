/**
 * The one IP and CIDR library of the code base, used by the agent, the node and the gateway:
 * {@link io.fleetcast.protocol.net.IpLiteral} (address literals, never resolved, canonical text,
 * the strict check of what Postgres' {@code inet} accepts) and {@link io.fleetcast.protocol.net.Subnet}
 * (networks with their host bits cleared, membership, broadcast address, the strict {@code cidr} check).
 */
package io.fleetcast.protocol.net;
