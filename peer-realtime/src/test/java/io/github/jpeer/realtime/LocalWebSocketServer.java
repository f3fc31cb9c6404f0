package io.github.jpeer.realtime;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server (RFC 6455) on 127.0.0.1 for tests, since the JDK has a WebSocket client but no
 * server: it accepts one connection, records the upgrade request (path, query, headers such as
 * {@code Authorization}), and exchanges text messages with the client on a thread of its own.
 * Enough for the Realtime API's sideband channel (text frames of JSON events), not a general
 * server: no extensions, no fragmentation on the way out, binary frames ignored.
 */
final class LocalWebSocketServer implements Closeable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;
  private final Thread thread;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Map<String, String>> request = new CompletableFuture<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private volatile Socket socket;
  private volatile String status = "101 Switching Protocols";

  LocalWebSocketServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "local-websocket-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** Answers the upgrade with this status instead (e.g. {@code "401 Unauthorized"}). */
  LocalWebSocketServer refuseWith(String httpStatus) {
    this.status = httpStatus;
    return this;
  }

  /** {@code ws://127.0.0.1:port} + {@code pathAndQuery}. */
  URI uri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + pathAndQuery);
  }

  /**
   * The upgrade request: {@code :path} (path and query as sent) and each header, names in lower
   * case.
   */
  Map<String, String> awaitRequest() throws Exception {
    return request.get(5, TimeUnit.SECONDS);
  }

  /** The next text message from the client, or null after 5 s. */
  String nextMessage() throws InterruptedException {
    return received.poll(5, TimeUnit.SECONDS);
  }

  /** The close code the client sent, waiting up to 5 s. */
  int awaitClose() throws Exception {
    return closeCode.get(5, TimeUnit.SECONDS);
  }

  /** Sends a text message to the client. */
  synchronized void send(String text) throws IOException {
    writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a close frame with {@code code}. */
  synchronized void sendClose(int code) throws IOException {
    writeFrame(0x8, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  private void writeFrame(int opcode, byte[] payload) throws IOException {
    Socket s = socket;
    if (s == null) {
      throw new IOException("no client connected");
    }
    OutputStream out = s.getOutputStream();
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(payload.length);
    } else if (payload.length < 65536) {
      frame.write(126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) payload.length >>> (8 * i)));
      }
    }
    frame.write(payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  private void serve() {
    try (Socket s = server.accept()) {
      socket = s;
      s.setSoTimeout(30_000);
      InputStream in = s.getInputStream();
      Map<String, String> headers = readRequest(in);
      request.complete(headers);
      OutputStream out = s.getOutputStream();
      if (!status.startsWith("101")) {
        out.write(
            ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      String accept = accept(headers.getOrDefault("sec-websocket-key", ""));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      readFrames(in);
    } catch (IOException | RuntimeException e) {
      request.completeExceptionally(e);
      closeCode.completeExceptionally(e);
    }
  }

  private static Map<String, String> readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() > 16_384) {
        throw new IOException("the upgrade request ended early");
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
    }
    String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    String[] first = lines[0].split(" ");
    headers.put(":path", first.length > 1 ? first[1] : "");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /** Client frames are masked (RFC 6455 section 5.3); text messages may come in fragments. */
  private void readFrames(InputStream in) throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (int frames = 0; frames < 100_000; frames++) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        closeCode.complete(1006);
        return;
      }
      int opcode = b0 & 0x0F;
      long length = b1 & 0x7F;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      if (length > 16 << 20) {
        throw new IOException("a frame of " + length + " bytes");
      }
      byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
      byte[] payload = in.readNBytes((int) length);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case 0x0, 0x1 -> {
          message.write(payload);
          if ((b0 & 0x80) != 0) {
            received.add(message.toString(StandardCharsets.UTF_8));
            message.reset();
          }
        }
        case 0x8 -> {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
          closeCode.complete(code);
          synchronized (this) {
            writeFrame(
                0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
          }
          return;
        }
        case 0x9 -> {
          synchronized (this) {
            writeFrame(0xA, payload); // pong
          }
        }
        default -> {
          // binary and pong: ignored
        }
      }
    }
  }

  /** The address clients connect to. */
  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
