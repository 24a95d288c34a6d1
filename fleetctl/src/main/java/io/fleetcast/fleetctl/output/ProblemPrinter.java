package io.fleetcast.fleetctl.output;

import io.fleetcast.fleetctl.api.ApiException;
import java.io.PrintWriter;

/** Shows a server problem the way an operator reads it: title, detail, each field error, a hint. */
public final class ProblemPrinter {
  private ProblemPrinter() {}

  public static void print(ApiException e, PrintWriter err) {
    StringBuilder sb = new StringBuilder("fleetctl: ").append(e.title());
    if (e.status() > 0) {
      sb.append(" (HTTP ").append(e.status()).append(')');
    }
    if (e.detail() != null && !e.detail().isBlank()) {
      sb.append(": ").append(e.detail());
    }
    err.println(sb);
    for (ApiException.FieldError f : e.errors()) {
      err.println("  - " + f.field() + ": " + f.message());
    }
    String hint = hint(e.status());
    if (hint != null) {
      err.println("  hint: " + hint);
    }
    err.flush();
  }

  private static String hint(int status) {
    return switch (status) {
      case 0 -> "is the gateway running, and is the URL right? (fleetctl login --url ...)";
      case 401 -> "the token is missing, wrong or revoked: run 'fleetctl login' or set FLEETCTL_TOKEN";
      case 403 -> "this token's role may not do this (viewer < operator < admin)";
      case 429 -> "the token's rate limit was hit; try again shortly";
      default -> null;
    };
  }
}
