package io.fleetcast.agent.enroll;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A gateway task-signing public key as handed out at enrollment and bootstrap. */
public record SigningKey(String keyId, String publicKey) {

  public JsonObject toJson() {
    return new JsonObject().put("keyId", keyId).put("publicKey", publicKey);
  }

  /** Lenient: entries without a public key are skipped (a gateway may add fields later). */
  public static List<SigningKey> listFromJson(JsonArray arr) {
    List<SigningKey> keys = new ArrayList<>();
    if (arr == null) {
      return keys;
    }
    for (Object o : arr) {
      if (o instanceof JsonObject j && j.getValue("publicKey") instanceof String pk && !pk.isBlank()) {
        Object id = j.getValue("keyId");
        keys.add(new SigningKey(id instanceof String s ? s : "", pk));
      }
    }
    return keys;
  }

  /** Keys given as {@code keyId -> public key} (agent options). */
  public static List<SigningKey> listFromMap(java.util.Map<String, String> keys) {
    List<SigningKey> out = new ArrayList<>();
    keys.forEach((id, pk) -> out.add(new SigningKey(id, pk)));
    return out;
  }

  public static JsonArray listToJson(List<SigningKey> keys) {
    JsonArray arr = new JsonArray();
    keys.forEach(k -> arr.add(k.toJson()));
    return arr;
  }
}
