package io.github.jpeer.agent;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram the agent wants sent: from the local socket bound to {@code local}, to {@code
 * destination}.
 *
 * @param local the local socket address to send from (one the caller passed to {@link
 *     IceAgent#gather})
 * @param destination where to send
 * @param data the payload, owned by this record
 * @param stream whether it goes over the TCP connection to {@code destination} (a TURN server
 *     reached over TCP), framed for TURN by the driver (peer-stun's {@code StreamFramer}), rather
 *     than as a UDP datagram
 */
public record Transmit(
    InetSocketAddress local, InetSocketAddress destination, byte[] data, boolean stream) {
  /** A UDP datagram. */
  public Transmit(InetSocketAddress local, InetSocketAddress destination, byte[] data) {
    this(local, destination, data, false);
  }

  /** Copies {@code data} so the record owns its bytes. */
  public Transmit {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(destination, "destination");
    data = data.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The payload length, without copying. */
  public int length() {
    return data.length;
  }

  /** Copies the payload into {@code dst} at {@code offset}; returns the number of bytes copied. */
  public int copyTo(byte[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
    return data.length;
  }
}
