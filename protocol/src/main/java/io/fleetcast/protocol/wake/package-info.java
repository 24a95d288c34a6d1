/**
 * Wake-on-LAN building blocks shared by the agent (relay) and the node (direct sending):
 * {@link io.fleetcast.protocol.wake.MacAddress} parsing and the
 * {@link io.fleetcast.protocol.wake.MagicPacket} layout.
 */
package io.fleetcast.protocol.wake;
