package io.github.jpeer.sctp;

/**
 * Settings of one {@link SctpAssociation}; build with {@link #builder()}. Defaults follow RFC 9260
 * section 16 and RFC 8831, except the timers, which are those of WebRTC stacks (see below).
 *
 * <p>Deliberate deviation from RFC 9260 section 16: its RTO.Initial and RTO.Min of 1 s and RTO.Max
 * of 60 s, and a SACK delay of 200 ms, are sized for the open Internet of 2000 without any other
 * liveness check. A data channel runs over ICE and DTLS on paths of a few to a few hundred
 * milliseconds, with ICE consent (RFC 7675) to notice a dead peer. With RFC values every loss that
 * fast retransmit cannot repair stalls the channel for a second or more, and backoff doubles it:
 * issue #13 measured 0.02 MB/s at 10% loss on a 2 ms path. The defaults are therefore RTO.Initial
 * 500 ms (dcSCTP's), RTO.Min 120 ms (below a browser's 200 ms delayed SACK; the tail-loss probe,
 * which fires first, makes such a peer answer at once, see {@link SctpAssociation}), RTO.Max 3 s
 * (the backoff cap libwebrtc sets) and a SACK delay of at most 50 ms (Firefox's value), never more
 * than half the RTO.
 *
 * @param localPort our SCTP port (SDP {@code a=sctp-port}, default 5000)
 * @param remotePort the remote's SCTP port (default 5000)
 * @param mtu largest SCTP packet we send, in bytes (default 1200)
 * @param rtoInitialMillis RTO.Initial (default 500)
 * @param rtoMinMillis RTO.Min (default 120)
 * @param rtoMaxMillis RTO.Max, also the cap of the backed-off T1, T2 and T3 timers (default 3000)
 * @param maxInitRetransmits Max.Init.Retransmits (default 8)
 * @param maxAssociationRetransmits Association.Max.Retrans (default 10)
 * @param heartbeatIntervalMillis HB.interval while idle, 0 for none (default 30000)
 * @param delayedAckMillis longest a SACK is held back (default 50; never more than RTO / 2)
 * @param cookieLifetimeMillis Valid.Cookie.Life (default 60000)
 * @param receiveWindowBytes the receive buffer we advertise as a_rwnd (default 1 MiB)
 * @param maxMessageSize the largest message we accept, as we advertise in SDP (default 262144)
 * @param remoteMaxMessageSize the remote's SDP max-message-size (default 65536, RFC 8841 6.1)
 * @param streams outbound and inbound streams we offer (default 65535)
 * @param zeroChecksum offer RFC 9653 zero checksum for SCTP over DTLS (default false): we then
 *     accept packets whose checksum is zero, and we send zero checksums to a peer that offered it
 * @param logger where the association logs; a connection passes one that names it, so that a server
 *     with many calls can tell which call a line belongs to (default the logger named after {@link
 *     SctpAssociation})
 */
public record SctpConfig(
    int localPort,
    int remotePort,
    int mtu,
    long rtoInitialMillis,
    long rtoMinMillis,
    long rtoMaxMillis,
    int maxInitRetransmits,
    int maxAssociationRetransmits,
    long heartbeatIntervalMillis,
    long delayedAckMillis,
    long cookieLifetimeMillis,
    int receiveWindowBytes,
    int maxMessageSize,
    int remoteMaxMessageSize,
    int streams,
    boolean zeroChecksum,
    System.Logger logger) {

  /** Checks that every value is usable. */
  public SctpConfig {
    check(localPort >= 1 && localPort <= 0xFFFF, "localPort in 1..65535", localPort);
    check(remotePort >= 1 && remotePort <= 0xFFFF, "remotePort in 1..65535", remotePort);
    check(mtu >= 256 && mtu <= 65535, "mtu in 256..65535", mtu);
    check(
        rtoMinMillis > 0 && rtoMinMillis <= rtoMaxMillis,
        "0 < rtoMinMillis <= rtoMaxMillis",
        rtoMinMillis);
    check(
        rtoInitialMillis >= rtoMinMillis && rtoInitialMillis <= rtoMaxMillis,
        "rtoInitialMillis within [rtoMinMillis, rtoMaxMillis]",
        rtoInitialMillis);
    check(maxInitRetransmits >= 0, "maxInitRetransmits >= 0", maxInitRetransmits);
    check(
        maxAssociationRetransmits >= 0,
        "maxAssociationRetransmits >= 0",
        maxAssociationRetransmits);
    check(heartbeatIntervalMillis >= 0, "heartbeatIntervalMillis >= 0", heartbeatIntervalMillis);
    check(
        delayedAckMillis >= 0 && delayedAckMillis <= 500,
        "delayedAckMillis in 0..500",
        delayedAckMillis);
    check(cookieLifetimeMillis > 0, "cookieLifetimeMillis > 0", cookieLifetimeMillis);
    check(receiveWindowBytes >= 1500, "receiveWindowBytes >= 1500", receiveWindowBytes);
    check(maxMessageSize >= 1, "maxMessageSize >= 1", maxMessageSize);
    check(
        remoteMaxMessageSize >= 0,
        "remoteMaxMessageSize >= 0 (0 means no limit)",
        remoteMaxMessageSize);
    check(streams >= 1 && streams <= 65535, "streams in 1..65535", streams);
    if (logger == null) {
      throw new IllegalArgumentException("SctpConfig needs a logger, got null");
    }
  }

  private static void check(boolean ok, String what, long value) {
    if (!ok) {
      throw new IllegalArgumentException("SctpConfig needs " + what + ", got " + value);
    }
  }

  /** The defaults. */
  public static SctpConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.localPort = localPort;
    b.remotePort = remotePort;
    b.mtu = mtu;
    b.rtoInitialMillis = rtoInitialMillis;
    b.rtoMinMillis = rtoMinMillis;
    b.rtoMaxMillis = rtoMaxMillis;
    b.maxInitRetransmits = maxInitRetransmits;
    b.maxAssociationRetransmits = maxAssociationRetransmits;
    b.heartbeatIntervalMillis = heartbeatIntervalMillis;
    b.delayedAckMillis = delayedAckMillis;
    b.cookieLifetimeMillis = cookieLifetimeMillis;
    b.receiveWindowBytes = receiveWindowBytes;
    b.maxMessageSize = maxMessageSize;
    b.remoteMaxMessageSize = remoteMaxMessageSize;
    b.streams = streams;
    b.zeroChecksum = zeroChecksum;
    b.logger = logger;
    return b;
  }

  /** Builds an {@link SctpConfig}; every setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private int localPort = 5000;
    private int remotePort = 5000;
    private int mtu = 1200;
    private long rtoInitialMillis = 500;
    private long rtoMinMillis = 120;
    private long rtoMaxMillis = 3_000;
    private int maxInitRetransmits = 8;
    private int maxAssociationRetransmits = 10;
    private long heartbeatIntervalMillis = 30_000;
    private long delayedAckMillis = 50;
    private long cookieLifetimeMillis = 60_000;
    private int receiveWindowBytes = 1 << 20;
    private int maxMessageSize = 262_144;
    private int remoteMaxMessageSize = 65_536;
    private int streams = 65_535;
    private boolean zeroChecksum;
    private System.Logger logger = System.getLogger(SctpAssociation.class.getName());

    private Builder() {}

    /** Our SCTP port. */
    public Builder localPort(int v) {
      localPort = v;
      return this;
    }

    /** The remote's SCTP port. */
    public Builder remotePort(int v) {
      remotePort = v;
      return this;
    }

    /** Largest SCTP packet in bytes. */
    public Builder mtu(int v) {
      mtu = v;
      return this;
    }

    /** RTO.Initial, RTO.Min and RTO.Max in milliseconds. */
    public Builder rtoMillis(long initial, long min, long max) {
      rtoInitialMillis = initial;
      rtoMinMillis = min;
      rtoMaxMillis = max;
      return this;
    }

    /** Max.Init.Retransmits. */
    public Builder maxInitRetransmits(int v) {
      maxInitRetransmits = v;
      return this;
    }

    /** Association.Max.Retrans. */
    public Builder maxAssociationRetransmits(int v) {
      maxAssociationRetransmits = v;
      return this;
    }

    /** HB.interval in milliseconds, 0 disables heartbeats. */
    public Builder heartbeatIntervalMillis(long v) {
      heartbeatIntervalMillis = v;
      return this;
    }

    /** Longest delay of a SACK in milliseconds. */
    public Builder delayedAckMillis(long v) {
      delayedAckMillis = v;
      return this;
    }

    /** Valid.Cookie.Life in milliseconds. */
    public Builder cookieLifetimeMillis(long v) {
      cookieLifetimeMillis = v;
      return this;
    }

    /** Receive buffer advertised as a_rwnd. */
    public Builder receiveWindowBytes(int v) {
      receiveWindowBytes = v;
      return this;
    }

    /** Largest message we accept (our SDP max-message-size). */
    public Builder maxMessageSize(int v) {
      maxMessageSize = v;
      return this;
    }

    /** The remote's SDP max-message-size; 0 means the remote set no limit. */
    public Builder remoteMaxMessageSize(int v) {
      remoteMaxMessageSize = v;
      return this;
    }

    /** Streams offered in each direction. */
    public Builder streams(int v) {
      streams = v;
      return this;
    }

    /** Offer RFC 9653 zero checksum (DTLS already protects every packet). */
    public Builder zeroChecksum(boolean v) {
      zeroChecksum = v;
      return this;
    }

    /** Where the association logs (see {@link SctpConfig#logger()}). */
    public Builder logger(System.Logger v) {
      logger = v;
      return this;
    }

    /** The config; throws IllegalArgumentException naming a bad value. */
    public SctpConfig build() {
      return new SctpConfig(
          localPort,
          remotePort,
          mtu,
          rtoInitialMillis,
          rtoMinMillis,
          rtoMaxMillis,
          maxInitRetransmits,
          maxAssociationRetransmits,
          heartbeatIntervalMillis,
          delayedAckMillis,
          cookieLifetimeMillis,
          receiveWindowBytes,
          maxMessageSize,
          remoteMaxMessageSize,
          streams,
          zeroChecksum,
          logger);
    }
  }
}
