package io.fleetcast.node.agent;

import io.fleetcast.protocol.NodeMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link AgentConnection} that records what the session does to it, instead of a socket. */
final class FakeConnection implements AgentConnection {
  final List<String> sent = new CopyOnWriteArrayList<>();
  final List<Boolean> reading = new CopyOnWriteArrayList<>();
  final AtomicInteger pings = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  volatile Integer closeCode;
  volatile String closeReason;
  volatile boolean open = true;

  @Override
  public void send(String text) {
    sent.add(text);
  }

  @Override
  public void send(EncodedFrame frame) {
    sent.add(frame.text());
  }

  @Override
  public void close(int code, String reason) {
    closes.incrementAndGet();
    if (closeCode == null) {
      closeCode = code;
      closeReason = reason;
    }
    open = false;
  }

  @Override
  public void setReading(boolean on) {
    reading.add(on);
  }

  @Override
  public void ping() {
    pings.incrementAndGet();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public String remoteAddress() {
    return "127.0.0.1:50000";
  }

  /** The frames sent so far, decoded. */
  List<NodeMessage> messages() {
    return sent.stream().map(NodeMessage::decode).toList();
  }

  <T extends NodeMessage> List<T> messages(Class<T> type) {
    return messages().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
