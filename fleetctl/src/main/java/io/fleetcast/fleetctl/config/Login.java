package io.fleetcast.fleetctl.config;

/** Where the gateway is and the API token to use there. */
public record Login(String url, String token) {}
