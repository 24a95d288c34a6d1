package io.fleetcast.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Registers the codec of every message record on a Vert.x event bus, once per Vert.x: every
 * component that sends or consumes records calls {@link #register} when it starts, whichever
 * starts first registers them.
 */
public final class BusCodecs {
  private static final Set<EventBus> REGISTERED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Every message record's codec. */
  public static final List<BusCodec<?>> ALL = List.of(
      DispatchRequest.CODEC,
      DispatchReply.CODEC,
      ProgressMessage.CODEC,
      OnlineMessage.CODEC,
      RevokedMessage.CODEC,
      OutputChunk.CODEC,
      WakeDoneMessage.CODEC,
      ControlOp.codec(ControlOp.Supersede.class),
      ControlOp.codec(ControlOp.Drain.class),
      ControlOp.codec(ControlOp.Undrain.class),
      ControlOp.codec(ControlOp.WatchOutput.class),
      ControlReply.codec(ControlReply.Done.class),
      ControlReply.codec(ControlReply.DrainStatus.class));

  private BusCodecs() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    synchronized (REGISTERED) {
      if (!REGISTERED.add(bus)) {
        return;
      }
      for (BusCodec<?> codec : ALL) {
        bus.registerDefaultCodec((Class) codec.type(), (BusCodec) codec);
      }
    }
  }
}
