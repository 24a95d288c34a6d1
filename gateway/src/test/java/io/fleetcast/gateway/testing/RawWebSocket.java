package io.fleetcast.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a plain {@link Socket} that writes whatever bytes it is told to: frames
 * with invalid UTF-8, wrong opcodes or lengths that no well-behaved client library would send.
 * Blocking, for test threads only.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;

  /** A received frame. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or -1. */
    public int closeCode() {
      return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int status;
  private String responseHead = "";

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and sends the upgrade request for {@code path}; {@link #status()} tells the answer. */
  public static RawWebSocket connect(String host, int port, String path, String bearer) {
    try {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(host, port), 5000);
      s.setSoTimeout(10_000);
      RawWebSocket ws = new RawWebSocket(s);
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      String req = "GET " + path + " HTTP/1.1\r\n"
          + "Host: " + host + ":" + port + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
          + "Sec-WebSocket-Version: 13\r\n"
          + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
          + "\r\n";
      ws.out.write(req.getBytes(StandardCharsets.US_ASCII));
      ws.out.flush();
      ws.readResponseHead();
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readResponseHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade answer: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    responseHead = head.toString(StandardCharsets.US_ASCII);
    String[] statusLine = responseHead.split("\r\n", 2)[0].split(" ");
    status = Integer.parseInt(statusLine[1]);
  }

  public int status() {
    return status;
  }

  public String responseHead() {
    return responseHead;
  }

  /** Writes one masked frame with the given opcode and raw payload bytes. */
  public RawWebSocket send(int opcode, byte[] payload) {
    try {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write(0x80 | opcode);
      int len = payload.length;
      if (len < 126) {
        f.write(0x80 | len);
      } else if (len < 65536) {
        f.write(0x80 | 126);
        f.write(len >>> 8);
        f.write(len & 0xff);
      } else {
        f.write(0x80 | 127);
        for (int i = 7; i >= 0; i--) {
          f.write((int) (((long) len >>> (8 * i)) & 0xff));
        }
      }
      byte[] mask = new byte[4];
      RANDOM.nextBytes(mask);
      f.write(mask);
      byte[] masked = new byte[len];
      for (int i = 0; i < len; i++) {
        masked[i] = (byte) (payload[i] ^ mask[i & 3]);
      }
      f.write(masked);
      out.write(f.toByteArray());
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawWebSocket sendText(String text) {
    return send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server; null when the connection ends or nothing comes within the socket timeout. */
  public Frame read() {
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      if (len > 16 * 1024 * 1024) {
        throw new IOException("frame too large for a test: " + len);
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      return new Frame(b0 & 0x0f, payload);
    } catch (SocketTimeoutException | EOFException e) {
      return null;
    } catch (IOException e) {
      return null; // reset by the server
    }
  }

  /** Reads until a close frame (skipping others); its code, or -1 if the socket ended without one. */
  public int awaitCloseCode() {
    while (true) {
      Frame f = read();
      if (f == null) {
        return -1;
      }
      if (f.opcode() == CLOSE) {
        return f.closeCode();
      }
    }
  }

  /** Reads frames until one whose text contains {@code marker}; null if none comes. */
  public String awaitText(String marker) {
    while (true) {
      Frame f = read();
      if (f == null || f.opcode() == CLOSE) {
        return null;
      }
      if (f.opcode() == TEXT && f.text().contains(marker)) {
        return f.text();
      }
    }
  }

  /** True once the server has closed the TCP connection (reads end-of-stream within the timeout). */
  public boolean serverClosed(int timeoutMillis) {
    try {
      socket.setSoTimeout(timeoutMillis);
      InputStream s = socket.getInputStream();
      byte[] buf = new byte[4096];
      while (true) {
        int n = s.read(buf);
        if (n < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
