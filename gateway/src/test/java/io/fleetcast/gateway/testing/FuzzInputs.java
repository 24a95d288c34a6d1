package io.fleetcast.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile input for the frame parser and the API: random JSON values, messages
 * and bodies shaped like the real ones (known field names, plausible and implausible values),
 * and text-level corruption. Used by the jqwik properties and by the HTTP-level fuzz.
 */
public final class FuzzInputs {
  private FuzzInputs() {}

  /** Strings that tend to break things: empty, blank, long, control characters, odd Unicode, near-valid values. */
  public static Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
        Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.:/ ").ofMaxLength(30)),
        Tuple.of(1, Arbitraries.strings().withCharRange((char) 0, (char) 31).ofMaxLength(5)),
        Tuple.of(1, Arbitraries.integers().between(100, 5000).map("x"::repeat)),
        Tuple.of(3, Arbitraries.of("", " ", "exec", "install", "service", "power", "inventory", "teleport", "hello", "result",
            "succeeded", "failed", "timedOut", "declined", "cancelled", "rejected", "success", "failure", "always",
            "start", "stop", "restart", "status", "reboot", "shutdown", "logoff", "viewer", "operator", "admin",
            "2026-12-01T00:00:00Z", "2020-01-01T00:00:00Z", "+100000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z", "2026-12-01T00:00:00+01:00", "2026-12-01", "10.0.0.0/8", "10.0.0.1/8", "::/0",
            "fe80::1%eth0/64", "300.1.1.1/8", "1.2.3.4/33", "0.0.0.0/0", "127.0.0.1", "aa:bb:cc:dd:ee:ff",
            "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "zz:zz:zz:zz:zz:zz", "* * * * *", "0 3 * * MON-FRI", "61 * * * *",
            "@daily", "Europe/Paris", "Mars/Olympus", "https://127.0.0.1:1/pkg.bin", "file:///etc/passwd",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "\u202e", "\ud800", "\uffff",
            "a\u0000b", "%s%n", "${jndi:ldap://127.0.0.1/x}", "'; DROP TABLE agents; --")),
        Tuple.of(1, uuids()));
  }

  /** Numbers of every kind JSON can carry, including ones no Java int or long holds. */
  public static Arbitrary<Object> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(0, -1, 1, 100, 101, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, 1.5, -0.0,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).map(n -> (Object) n),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)).map(b -> (Object) b),
        Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e-400"), new BigDecimal("12345678901234567890.5"))
            .map(b -> (Object) b));
  }

  /** Any JSON value, nested up to {@code depth}. */
  public static Arbitrary<Object> json(int depth) {
    Arbitrary<Object> leaf = Arbitraries.frequencyOf(
        Tuple.of(4, strings().map(s -> (Object) s)),
        Tuple.of(3, numbers()),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
        Tuple.of(1, Arbitraries.just((Object) null)));
    if (depth <= 0) {
      return leaf;
    }
    Arbitrary<Object> array = json(depth - 1).list().ofMaxSize(4).map(l -> (Object) new JsonArray(new ArrayList<>(l)));
    Arbitrary<Object> object = Arbitraries.maps(strings(), json(depth - 1)).ofMaxSize(4)
        .map(m -> (Object) new JsonObject(new LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(1, array), Tuple.of(1, object));
  }

  /**
   * An object with the given fields, each usually holding one of its plausible values, now and
   * then any JSON value or missing, and now and then an unknown extra field.
   */
  public static Arbitrary<JsonObject> shaped(Map<String, Arbitrary<Object>> fields) {
    List<Arbitrary<Tuple.Tuple2<String, Object>>> parts = new ArrayList<>();
    for (Map.Entry<String, Arbitrary<Object>> f : fields.entrySet()) {
      Arbitrary<Object> value = Arbitraries.frequencyOf(Tuple.of(40, f.getValue()), Tuple.of(1, json(2)));
      parts.add(value.map(v -> Tuple.of(f.getKey(), v)).injectNull(0.03));
    }
    parts.add(Combinators.combine(strings(), json(1)).as(Tuple::of).injectNull(0.93));
    return Combinators.combine(parts).as(list -> {
      JsonObject o = new JsonObject();
      for (Tuple.Tuple2<String, Object> t : list) {
        if (t != null) {
          o.put(t.get1(), t.get2());
        }
      }
      return o;
    });
  }

  static Arbitrary<Object> any(Object... values) {
    return Arbitraries.of(values);
  }

  static Arbitrary<Object> list(Arbitrary<Object> element, int max) {
    return element.list().ofMaxSize(max).map(l -> (Object) new JsonArray(new ArrayList<>(l)));
  }

  static Map<String, Arbitrary<Object>> fields(Object... pairs) {
    Map<String, Arbitrary<Object>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      Arbitrary<Object> a = (Arbitrary<Object>) pairs[i + 1];
      m.put((String) pairs[i], a);
    }
    return m;
  }

  /** Mostly a well-formed word, sometimes any hostile string. */
  static Arbitrary<Object> str() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1)
        .ofMaxLength(20)), Tuple.of(1, strings())).map(s -> (Object) s);
  }

  static Arbitrary<Object> uuid() {
    return uuids().map(u -> (Object) u);
  }

  /** Random UUIDs drawn from the property's seed (so a fixed seed repeats them). */
  static Arbitrary<String> uuids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((a, b) -> new UUID(a, b).toString());
  }

  static Arbitrary<Object> smallInt(int min, int max) {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.integers().between(min, max).map(i -> (Object) i)),
        Tuple.of(1, numbers()));
  }

  static Arbitrary<Object> time() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.longs().between(1_700_000_000L, 4_000_000_000L)
            .map(sec -> (Object) java.time.Instant.ofEpochSecond(sec).toString())),
        Tuple.of(1, any("yesterday", "+100000-01-01T00:00:00Z", "2026-11-23T10:00:00+02:00", "2026-02-30T00:00:00Z",
            "2026-11-23T10:00:00.123456789Z", "")));
  }

  static Arbitrary<Object> ip() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 255).list().ofSize(4)
            .map(l -> (Object) (l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3)))),
        Tuple.of(1, str()));
  }

  static Arbitrary<Object> cidr() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Combinators.combine(Arbitraries.integers().between(1, 223), Arbitraries.integers().between(8, 32))
            .as((a, bits) -> (Object) (a + ".0.0.0/" + bits))),
        Tuple.of(1, any("10.0.0.0/8", "10.1.2.0/24", "10.1.2.3/24", "::/0", "2001:db8::/32", "300.0.0.0/8", "1.2.3.4/33")),
        Tuple.of(1, str()));
  }

  static Arbitrary<Object> mac() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 255).list().ofSize(6).map(l -> (Object) String.join(":",
            l.stream().map(b -> String.format("%02x", b)).toList()))),
        Tuple.of(1, str()));
  }

  // ---- the agent channel

  /** Facts as an agent would send them, or almost. */
  public static Arbitrary<Object> facts() {
    return shaped(fields("hostname", str(), "os", str(), "arch", any("amd64", "arm64", ""), "ips", list(ip(), 4),
        "macs", list(mac(), 3), "subnets", list(cidr(), 3), "tags", list(str(), 3), "users", list(str(), 3)))
        .map(o -> (Object) o);
  }

  static Arbitrary<JsonObject> typed(String type, Map<String, Arbitrary<Object>> fields) {
    return shaped(fields).map(o -> o.put("type", type));
  }

  /** Agent -> node messages of every type, mostly well-formed, with implausible values mixed in. */
  public static Arbitrary<JsonObject> agentMessages() {
    Arbitrary<Object> status = Arbitraries.frequencyOf(
        Tuple.of(6, any("succeeded", "failed", "timedOut", "declined", "cancelled", "rejected")), Tuple.of(1, str()));
    return Arbitraries.oneOf(
        typed("hello", fields("agentId", uuid(), "version", str(), "facts", facts())),
        typed("facts", fields("facts", facts())),
        typed("ack", fields("taskId", uuid())),
        typed("progress", fields("taskId", uuid(), "percent", smallInt(-5, 110), "message", str())),
        typed("result", fields("taskId", uuid(), "status", status, "exitCode", smallInt(-1, 255), "output", str(),
            "startedAt", time(), "finishedAt", time())),
        typed("wakeDone", fields("requestId", uuid(), "sent", list(mac(), 3),
            "failed", list(shaped(fields("mac", mac(), "error", str())).map(o -> (Object) o), 3))),
        Combinators.combine(strings(), shaped(fields("x", json(2), "taskId", uuid())))
            .as((t, o) -> o.put("type", t)),
        shaped(fields("taskId", uuid(), "agentId", uuid())));
  }

  /** Node -> agent messages (what a hostile node could send an agent), mostly well-formed. */
  public static Arbitrary<JsonObject> nodeMessages() {
    Arbitrary<Object> kind = Arbitraries.frequencyOf(
        Tuple.of(5, any("exec", "install", "service", "power", "inventory")), Tuple.of(1, str()));
    return Arbitraries.oneOf(
        typed("welcome", fields("nodeId", str(), "heartbeatSeconds", smallInt(1, 120), "serverTime", time())),
        typed("task", fields("taskId", uuid(), "rolloutId", uuid(), "step", smallInt(0, 20), "kind", kind,
            "spec", shaped(fields("command", str(), "args", list(str(), 2))).map(o -> (Object) o), "deadline", time(),
            "notBefore", time(), "requireConsent", any(true, false),
            "scope", shaped(fields("agents", list(uuid(), 2), "all", any(true, false))).map(o -> (Object) o),
            "keyId", str(), "signature", str())),
        typed("resultAck", fields("taskId", uuid(), "stored", any(true, false), "error", str())),
        typed("cancel", fields("taskId", uuid())),
        typed("wakeRelay", fields("requestId", uuid(), "targets", list(shaped(fields("mac", mac(), "broadcast", ip(),
            "port", smallInt(0, 65535))).map(o -> (Object) o), 3))),
        typed("reconnect", fields("url", str(), "afterMillis", smallInt(0, 60_000))),
        Combinators.combine(strings(), shaped(fields("x", json(2)))).as((t, o) -> o.put("type", t)));
  }

  /** Text frames: encoded messages, corrupted ones, deep nesting, long numbers, and arbitrary text. */
  public static Arbitrary<String> frames(Arbitrary<JsonObject> messages) {
    Arbitrary<String> encoded = messages.map(JsonObject::encode);
    return Arbitraries.frequencyOf(
        Tuple.of(6, encoded),
        Tuple.of(3, Combinators.combine(encoded, Arbitraries.integers().between(0, 100_000),
            Arbitraries.integers().between(0, 4), Arbitraries.chars()).as(FuzzInputs::corrupt)),
        Tuple.of(1, Arbitraries.integers().between(1, 3000).map(n ->
            "{\"type\":\"facts\",\"facts\":" + "[".repeat(n) + "]".repeat(n) + "}")),
        Tuple.of(1, Arbitraries.integers().between(1, 3000).map(n -> "{\"type\":\"ack\",\"taskId\":" + "{\"a\":".repeat(n)
            + "1" + "}".repeat(n) + "}")),
        Tuple.of(1, Arbitraries.integers().between(1, 5000).map(n ->
            "{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"exitCode\":1" + "0".repeat(n) + "}")),
        Tuple.of(1, json(3).map(v -> v == null ? "null" : io.vertx.core.json.Json.encode(v))),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(200)));
  }

  /** One text edit: cut at, insert at, delete at, duplicate from or swap a character at {@code pos}. */
  static String corrupt(String s, int pos, int op, char c) {
    if (s.isEmpty()) {
      return String.valueOf(c);
    }
    int p = pos % s.length();
    return switch (op) {
      case 0 -> s.substring(0, p);
      case 1 -> s.substring(0, p) + c + s.substring(p);
      case 2 -> s.substring(0, p) + s.substring(p + 1);
      case 3 -> s.substring(0, p) + s.substring(p) + s.substring(p);
      default -> s.substring(0, p) + c + s.substring(p + 1);
    };
  }

  // ---- the ops API

  /** Rollout bodies (SPEC section 2), mostly near-valid so that validation is exercised deeply. */
  public static Arbitrary<JsonObject> rolloutBodies() {
    Arbitrary<Object> hex64 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(x -> (Object) x);
    Map<String, Arbitrary<JsonObject>> specs = new LinkedHashMap<>();
    specs.put("exec", shaped(fields("command", str(), "args", list(str(), 3), "shell", any(true, false),
        "timeoutSeconds", smallInt(1, 86_400), "env", shaped(fields("PATH", str(), "A", str())).map(o -> (Object) o))));
    specs.put("install", shaped(fields("url", any("https://127.0.0.1:1/p.msi", "http://10.0.0.1/x", "https://[::1]/a",
        "ftp://x", "nope"),
        "sha256", hex64, "size", smallInt(1, 1 << 30), "command", str(), "args", list(str(), 2),
        "timeoutSeconds", smallInt(1, 86_400))));
    specs.put("service", shaped(fields("name", str(), "action", any("start", "stop", "restart", "status", "start", "kill"))));
    specs.put("power", shaped(fields("action", any("reboot", "shutdown", "logoff", "reboot", "hibernate"),
        "delaySeconds", smallInt(0, 3600), "onlyIfNoUser", any(true, false), "message", str())));
    specs.put("inventory", Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(new JsonObject())),
        Tuple.of(1, shaped(fields("x", json(1))))));
    Arbitrary<Object> step = Arbitraries.of(specs.keySet()).flatMap(kind -> shaped(fields(
        "kind", Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just((Object) kind)), Tuple.of(1, str())),
        "spec", specs.get(kind).map(o -> (Object) o),
        "continueOn", Arbitraries.frequencyOf(Tuple.of(30, any("success", "failure", "always")), Tuple.of(1, str())))))
        .map(o -> (Object) o);
    Arbitrary<Object> targets = Arbitraries.oneOf(
        Arbitraries.just((Object) new JsonObject().put("all", true)),
        shaped(fields("agents", list(uuid(), 3))).map(o -> (Object) o),
        shaped(fields("tags", list(str(), 3), "subnets", list(cidr(), 2))).map(o -> (Object) o),
        shaped(fields("agents", list(uuid(), 2), "tags", list(str(), 2), "subnets", list(cidr(), 2),
            "all", any(true, false))).map(o -> (Object) o));
    Arbitrary<Object> waves = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(1, 99).set().ofMaxSize(4).map(set -> {
          List<Object> w = new ArrayList<>(new java.util.TreeSet<>(set));
          w.add(100);
          return (Object) new JsonArray(w);
        })),
        Tuple.of(1, list(numbers(), 4)));
    Arbitrary<Object> future = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(60, 400L * 24 * 3600)
            .map(sec -> (Object) java.time.Instant.now().plusSeconds(sec).toString())),
        Tuple.of(1, time()));
    Arbitrary<Object> strategy = shaped(fields("waves", waves, "maxInFlight", smallInt(1, 100_000),
        "maxFailurePercent", smallInt(0, 100), "startAfter", future, "expiresAt", future,
        "wakeOffline", any(true, false), "requireConsent", any(true, false))).map(o -> (Object) o);
    return shaped(fields("name", str(), "steps", step.list().ofMinSize(1).ofMaxSize(3)
        .map(l -> (Object) new JsonArray(new ArrayList<>(l))), "targets", targets, "strategy", strategy));
  }

  /** Bodies for every POST route that takes one, keyed by path. */
  public static Map<String, Arbitrary<JsonObject>> postBodies() {
    Map<String, Arbitrary<JsonObject>> m = new LinkedHashMap<>();
    m.put("/api/v1/rollouts", rolloutBodies());
    m.put("/api/v1/schedules", shaped(fields("name", str(), "cron", any("* * * * *", "0 3 * * MON-FRI", "61 * * * *",
            "@daily", "0 0 30 2 *", "nonsense"), "timeZone", any("UTC", "Europe/Paris", "Mars/Olympus", ""),
        "rollout", rolloutBodies().map(o -> (Object) o), "expiresAfterMinutes", numbers())));
    m.put("/api/v1/api-tokens", shaped(fields("name", str(), "role", any("viewer", "operator", "admin", "root", ""))));
    m.put("/api/v1/enrollment-tokens", shaped(fields("expiresAt", time(), "maxUses", smallInt(1, 100),
        "tags", list(str(), 3), "allowedCidrs", list(cidr(), 3))));
    m.put("/api/v1/wake", shaped(fields("agents", list(uuid(), 3), "macs",
        list(Arbitraries.oneOf(mac(), shaped(fields("mac", mac(), "subnet", cidr())).map(o -> (Object) o)), 3),
        "subnet", cidr(), "secureOn", mac())));
    m.put("/api/v1/enroll", shaped(fields("hostname", str(), "facts", facts())));
    return m;
  }
}
