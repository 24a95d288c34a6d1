package io.fleetcast.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The codec of one event-bus message record. Between members the record travels as its JSON
 * (length-prefixed, as Vert.x frames a body); within a process the record itself is passed,
 * which is safe because message records are immutable.
 */
public final class BusCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final Class<? extends T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  public BusCodec(String name, Class<? extends T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    this.name = name;
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** The record class this codec is the default of. */
  public Class<? extends T> type() {
    return type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    Buffer json = toJson.apply(message).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
