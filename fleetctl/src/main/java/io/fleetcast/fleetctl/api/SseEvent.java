package io.fleetcast.fleetctl.api;

/** One Server-Sent Event: its name ({@code message} when unnamed) and data. */
public record SseEvent(String name, String data) {}
