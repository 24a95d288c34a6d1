package io.fleetcast.gateway.error;

/** One invalid field of a request body or query, named by its path ({@code strategy.waves[1]}). */
public record FieldError(String field, String message) {}
