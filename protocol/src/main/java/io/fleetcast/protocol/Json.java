package io.fleetcast.protocol;

import io.fleetcast.protocol.ProtocolException.Reason;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Parses a frame into a JSON object, mapping every failure to a {@link ProtocolException}. */
final class Json {
  private Json() {}

  static JsonObject parseObject(String frame) {
    int first = 0;
    while (frame != null && first < frame.length() && Character.isWhitespace(frame.charAt(first))) {
      first++;
    }
    if (frame == null || first == frame.length() || frame.charAt(first) != '{') {
      throw new ProtocolException(Reason.INVALID_JSON, "frame is not a JSON object");
    }
    try {
      return new JsonObject(frame);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolException(Reason.INVALID_JSON, "frame is not valid JSON");
    } catch (RuntimeException e) {
      // Jackson's nesting and length constraints surface as other runtime exceptions
      throw new ProtocolException(Reason.INVALID_JSON, "frame could not be parsed: " + e.getClass().getSimpleName());
    }
  }
}
