package io.fleetcast.gateway.software;

import io.fleetcast.gateway.error.BodyReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A package's program (Altiris "Package/Program", SMS "program"): how to run the content, what
 * counts as success, what means "succeeded, reboot needed", or {@code deliverOnly} (download,
 * verify and keep, run nothing).
 */
public record ProgramSpec(String name, String command, List<String> args, int timeoutSeconds, String runAs,
    String reboot, List<Integer> successExitCodes, List<Integer> rebootExitCodes, boolean deliverOnly) {

  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  public static final Set<String> REBOOT = Set.of("never", "ifRequired", "always");
  static final List<Integer> DEFAULT_REBOOT_CODES = List.of(3010, 1641);
  private static final Set<String> FIELDS = Set.of("name", "command", "args", "timeoutSeconds", "runAs", "reboot",
      "successExitCodes", "rebootExitCodes", "deliverOnly");

  /** Validates a program body; collects every field error (see {@link BodyReader#throwIfInvalid}). */
  public static ProgramSpec parse(JsonObject body) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(FIELDS);
    String name = r.string("name", true, 64);
    if (name != null && !NAME.matcher(name).matches()) {
      r.error("name", "must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
    }
    boolean deliverOnly = Boolean.TRUE.equals(r.bool("deliverOnly"));
    String command = r.string("command", !deliverOnly, 8192);
    if (deliverOnly && command != null) {
      r.error("command", "a deliverOnly program runs nothing: leave command out");
    }
    List<String> args = r.strings("args", 256, 8192);
    if (deliverOnly && args != null && !args.isEmpty()) {
      r.error("args", "a deliverOnly program runs nothing: leave args out");
    }
    Integer timeout = r.integer("timeoutSeconds", false, 1, 7 * 24 * 3600);
    String runAs = r.string("runAs", false, 128);
    if (runAs != null && !runAs.matches("^[A-Za-z0-9._\\\\@-]{1,128}$")) {
      r.error("runAs", "must be an account name (letters, digits, . _ - @ \\)");
    }
    String reboot = r.string("reboot", false, 16);
    if (reboot != null && !REBOOT.contains(reboot)) {
      r.error("reboot", "must be one of always, ifRequired, never");
    }
    List<Integer> success = exitCodes(r, "successExitCodes", List.of(0));
    List<Integer> rebootCodes = exitCodes(r, "rebootExitCodes", DEFAULT_REBOOT_CODES);
    for (Integer c : rebootCodes) {
      if (success.contains(c)) {
        r.error("rebootExitCodes", "exit code " + c + " is listed as both success and reboot-required");
      }
    }
    r.throwIfInvalid();
    return new ProgramSpec(name, command, args == null ? List.of() : args, timeout == null ? 3600 : timeout, runAs,
        reboot == null ? "ifRequired" : reboot, success, rebootCodes, deliverOnly);
  }

  private static List<Integer> exitCodes(BodyReader r, String field, List<Integer> dflt) {
    JsonArray arr = r.array(field, false, 32);
    if (arr == null) {
      return dflt;
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      Object v = arr.getValue(i);
      if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= Integer.MIN_VALUE
          && n.longValue() <= Integer.MAX_VALUE) {
        out.add(n.intValue());
      } else {
        r.error(field + "[" + i + "]", "must be an integer exit code");
      }
    }
    return out;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("name", name).put("timeoutSeconds", timeoutSeconds).put("reboot", reboot)
        .put("successExitCodes", new JsonArray(new ArrayList<>(successExitCodes)))
        .put("rebootExitCodes", new JsonArray(new ArrayList<>(rebootExitCodes))).put("deliverOnly", deliverOnly)
        .put("args", new JsonArray(new ArrayList<>(args)));
    if (command != null) {
      j.put("command", command);
    }
    if (runAs != null) {
      j.put("runAs", runAs);
    }
    return j;
  }

  public static ProgramSpec fromJson(JsonObject j) {
    return parse(j);
  }
}
