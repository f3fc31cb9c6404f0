package io.github.jpeer.agent;

/**
 * The demultiplexing decision for one received datagram (RFC 7983), returned by {@link
 * IceAgent#handleReceive}. A flyweight: the agent reuses one instance, so its contents are only
 * valid until the next call into the agent. No allocation happens for application data.
 *
 * <p>For {@link Kind#APPLICATION_DATA} the payload is {@code data()[offset(), offset()+length())}:
 * the caller's own array for data received directly, or the inside of the caller's array for data
 * unwrapped from a TURN ChannelData message or Data indication.
 */
public final class Received {
  /** What became of a datagram. */
  public enum Kind {
    /** A STUN or TURN message for the agent; nothing for the caller to do. */
    CONSUMED,
    /** Not STUN (DTLS, SRTP, ...): hand the payload up, it came on {@link #pair()}. */
    APPLICATION_DATA,
    /** Dropped (counted in {@link IceStats}). */
    DROPPED
  }

  private Kind kind = Kind.DROPPED;
  private CandidatePair pair;
  private byte[] data;
  private int offset;
  private int length;

  Received() {}

  Received set(Kind kind, CandidatePair pair, byte[] data, int offset, int length) {
    // Compared first: this flyweight lives as long as its agent and is set per datagram, and a
    // reference store into an old object dirties a GC card even when the value is the same (G1's
    // refinement then rescans it). A call's packets are application data on the same pair, read
    // into the driver's same buffer, so in the steady state none of these stores happens.
    if (this.kind != kind) {
      this.kind = kind;
    }
    if (this.pair != pair) {
      this.pair = pair;
    }
    if (this.data != data) {
      this.data = data;
    }
    this.offset = offset;
    this.length = length;
    return this;
  }

  /** The decision. */
  public Kind kind() {
    return kind;
  }

  /** Whether the payload is application data to hand up. */
  public boolean isApplicationData() {
    return kind == Kind.APPLICATION_DATA;
  }

  /** The pair application data came on, {@code null} otherwise. */
  public CandidatePair pair() {
    return pair;
  }

  /** The array holding the application data (not a copy), {@code null} otherwise. */
  public byte[] data() {
    return data;
  }

  /** Where the application data starts in {@link #data()}. */
  public int offset() {
    return offset;
  }

  /** The length of the application data. */
  public int length() {
    return length;
  }

  @Override
  public String toString() {
    return "Received[" + kind + (pair == null ? "" : ", " + length + " bytes on " + pair) + "]";
  }
}
