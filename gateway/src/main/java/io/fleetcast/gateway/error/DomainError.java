package io.fleetcast.gateway.error;

import java.util.List;

/**
 * What domain code throws when it refuses a request: the kind of refusal and what to tell the
 * caller, with no HTTP in it. The HTTP layer's one failure handler renders it as problem+json
 * (see {@code http.Problem#from}); a kind maps to exactly one status and title.
 */
public final class DomainError extends RuntimeException {

  /** Why the request was refused. */
  public enum Kind {
    /** The request as a whole cannot be taken (a malformed query, a value out of range). */
    BAD_REQUEST,
    /** Named fields are invalid ({@link #errors()}). */
    INVALID,
    /** The caller's credential was not accepted. */
    UNAUTHORIZED,
    /** The caller is known but may not do this. */
    FORBIDDEN,
    NOT_FOUND,
    /** The request contradicts the current state (a duplicate, a rollout that has ended). */
    CONFLICT,
    /** This gateway cannot serve the request now or as configured ({@link #retryAfterSeconds()}). */
    UNAVAILABLE,
    /** A system the request needs (a directory server) failed; {@link #errors()} names the field it came from. */
    UPSTREAM_FAILED
  }

  private final Kind kind;
  private final List<FieldError> errors;
  private final Integer retryAfterSeconds;

  private DomainError(Kind kind, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static DomainError badRequest(String detail) {
    return new DomainError(Kind.BAD_REQUEST, detail, null, null);
  }

  /** Every invalid field at once; the detail names the field when there is one. */
  public static DomainError invalid(List<FieldError> errors) {
    return new DomainError(Kind.INVALID, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid", errors, null);
  }

  public static DomainError unauthorized(String detail) {
    return new DomainError(Kind.UNAUTHORIZED, detail, null, null);
  }

  public static DomainError forbidden(String detail) {
    return new DomainError(Kind.FORBIDDEN, detail, null, null);
  }

  public static DomainError notFound(String detail) {
    return new DomainError(Kind.NOT_FOUND, detail, null, null);
  }

  public static DomainError conflict(String detail) {
    return new DomainError(Kind.CONFLICT, detail, null, null);
  }

  public static DomainError unavailable(String detail, int retryAfterSeconds) {
    return new DomainError(Kind.UNAVAILABLE, detail, null, retryAfterSeconds);
  }

  /** A system the request names (such as its LDAP directory) failed to answer it. */
  public static DomainError upstreamFailed(String detail, List<FieldError> errors) {
    return new DomainError(Kind.UPSTREAM_FAILED, detail, errors, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The fields the error is about ({@link Kind#INVALID}, {@link Kind#UPSTREAM_FAILED}); empty otherwise. */
  public List<FieldError> errors() {
    return errors;
  }

  /** When to ask again ({@link Kind#UNAVAILABLE}); null otherwise. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
