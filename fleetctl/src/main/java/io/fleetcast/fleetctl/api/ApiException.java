package io.fleetcast.fleetctl.api;

import java.util.List;

/**
 * An error answer of the server (an RFC 9457 problem), or a server that could not be reached
 * ({@code status} 0).
 */
public final class ApiException extends RuntimeException {

  /** One invalid field of the request, as the server named it. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String title;
  private final String detail;
  private final List<FieldError> errors;

  public ApiException(int status, String title, String detail, List<FieldError> errors) {
    super(title + (detail == null ? "" : ": " + detail), null, false, false);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static ApiException unreachable(String url, String why) {
    return new ApiException(0, "Cannot reach the server", url + ": " + why, List.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
