package io.fleetcast.gateway.auth;

/** A console session: the principal of the token it was exchanged for and its CSRF token. */
public record Session(Principal principal, String csrf) {}
