package io.fleetcast.gateway.software;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an upload says about itself in its query string (the body is the raw file):
 * {@code name}, {@code version}, {@code file} (its file name; {@code .zip}, {@code .tar.gz} make it a
 * multi-file package), and optionally the {@code size} and {@code sha256} the client expects
 * (a short body is then a clear "truncated" error).
 */
public record UploadRequest(String name, String version, String fileName, Long expectedSize, String expectedSha256,
    Long contentLength) {
  static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$");
  static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}$");
  static final Pattern FILE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$");
  static final Pattern SHA = Pattern.compile("^[0-9a-fA-F]{64}$");

  public static UploadRequest parse(HttpServerRequest req) {
    List<FieldError> errs = new ArrayList<>();
    String name = req.getParam("name");
    String version = req.getParam("version");
    String file = req.getParam("file");
    if (name == null || !NAME.matcher(name).matches()) {
      errs.add(new FieldError("name", "required: 1-128 of A-Z a-z 0-9 . _ + -"));
    }
    if (version == null || !VERSION.matcher(version).matches()) {
      errs.add(new FieldError("version", "required: 1-64 of A-Z a-z 0-9 . _ + ~ -"));
    }
    if (file == null) {
      file = name == null ? "package" : name;
    }
    if (!FILE.matcher(file).matches()) {
      errs.add(new FieldError("file", "a plain file name (no directories): 1-128 of A-Z a-z 0-9 . _ + -"));
    }
    Long size = longParam(req.getParam("size"), "size", errs);
    String sha = req.getParam("sha256");
    if (sha != null && !SHA.matcher(sha).matches()) {
      errs.add(new FieldError("sha256", "must be 64 hex digits"));
    }
    Long length = longParam(req.getHeader("Content-Length"), "Content-Length", errs);
    if (!errs.isEmpty()) {
      throw DomainError.invalid(errs);
    }
    return new UploadRequest(name, version, file, size, sha == null ? null : sha.toLowerCase(), length);
  }

  private static Long longParam(String v, String field, List<FieldError> errs) {
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      errs.add(new FieldError(field, "must be a non-negative integer"));
      return null;
    }
  }
}
