package io.github.jpeer.agent;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of an {@link IceAgent}: servers and timers. Build with {@link #builder()}; every
 * timer has the default the RFCs recommend.
 *
 * @param stunServers resolved STUN server addresses for server-reflexive candidates
 * @param turnServers TURN servers (UDP) for relayed candidates
 * @param taNanos pacing of ordinary checks (RFC 8445 section 14.2), default 50 ms
 * @param checkRtoMinNanos lower bound of a check's first retransmission timeout, default 250 ms
 *     (libwebrtc's first STUN retransmission; RFC 8445 section 14.3 suggests 500 ms, which made
 *     connecting through 20% loss take up to 6.5 s with four lost rounds)
 * @param checkRtoMaxNanos cap of the doubling retransmission timeout, default 1 s (a lost round
 *     costs at most a second while a pair is being checked; seven transmissions still give a dead
 *     pair about 5 s)
 * @param maxCheckTransmissions transmissions of a check before its pair fails, default 7
 * @param gatherTimeoutNanos how long a STUN/TURN server may take to answer before gathering gives
 *     up on it, default 5 s
 * @param nominationDelayNanos how long the controlling agent waits after the first valid pair for
 *     better pairs before nominating the best one (regular nomination), default 1 s
 * @param aggressiveNomination whether every check of the controlling agent carries USE-CANDIDATE
 *     (RFC 5245 aggressive nomination), default false
 * @param consentIntervalNanos mean interval of consent checks (RFC 7675 section 5.1), randomised by
 *     +/-20%, default 5 s
 * @param disconnectedTimeoutNanos time without a consent response after which the state is
 *     DISCONNECTED, default 12 s (more than two intervals at their longest)
 * @param consentTimeoutNanos time without a consent response after which consent is lost and the
 *     state is FAILED (RFC 7675 section 5.1), default 30 s
 * @param relayOnly the WebRTC ice transport policy "relay": only relayed local candidates are
 *     signalled, paired and answered on (host sockets then only carry TURN traffic), default false
 * @param udp whether this agent's own UDP candidates (host and server-reflexive) are signalled,
 *     paired and answered on, and STUN and TURN servers are asked over UDP; false keeps UDP off the
 *     local network (TCP candidates and TURN over TCP or TLS remain; a relayed candidate's far leg
 *     is the TURN server's UDP), default true
 * @param iceLite whether this agent is an ICE-lite implementation (RFC 8445 section 2.5), what a
 *     server with a public address runs: host candidates only (UDP, and passive TCP), always the
 *     controlled agent, it sends no checks, triggered checks or consent requests of its own,
 *     answers the full remote agent's checks, takes each checked pair as valid and selects the one
 *     the remote nominates; the remote's checks keep the selected pair alive (silence of {@code
 *     disconnectedTimeoutNanos} makes it DISCONNECTED, of {@code consentTimeoutNanos} FAILED, and a
 *     lite agent that no one checks within {@code consentTimeoutNanos} of gathering FAILS too). No
 *     STUN or TURN server and no relayOnly, default false
 * @param logger where the agent logs; a connection passes one that names it, so that a server with
 *     many calls can tell which call a line belongs to; default the logger named after {@link
 *     IceAgent}
 */
public record IceConfig(
    List<InetSocketAddress> stunServers,
    List<TurnServer> turnServers,
    long taNanos,
    long checkRtoMinNanos,
    long checkRtoMaxNanos,
    int maxCheckTransmissions,
    long gatherTimeoutNanos,
    long nominationDelayNanos,
    boolean aggressiveNomination,
    long consentIntervalNanos,
    long disconnectedTimeoutNanos,
    long consentTimeoutNanos,
    boolean relayOnly,
    boolean udp,
    boolean iceLite,
    System.Logger logger) {

  private static final long MS = 1_000_000L;

  /** Copies the lists and checks the timers. */
  public IceConfig {
    stunServers = List.copyOf(stunServers);
    turnServers = List.copyOf(turnServers);
    for (InetSocketAddress a : stunServers) {
      if (a.isUnresolved()) {
        throw new IllegalArgumentException("STUN server " + a + " must be resolved by the caller");
      }
    }
    positive(taNanos, "taNanos");
    positive(checkRtoMinNanos, "checkRtoMinNanos");
    positive(checkRtoMaxNanos, "checkRtoMaxNanos");
    positive(gatherTimeoutNanos, "gatherTimeoutNanos");
    positive(consentIntervalNanos, "consentIntervalNanos");
    positive(disconnectedTimeoutNanos, "disconnectedTimeoutNanos");
    positive(consentTimeoutNanos, "consentTimeoutNanos");
    if (nominationDelayNanos < 0) {
      throw new IllegalArgumentException("nominationDelayNanos must be >= 0");
    }
    if (maxCheckTransmissions < 1) {
      throw new IllegalArgumentException("maxCheckTransmissions must be >= 1");
    }
    if (disconnectedTimeoutNanos > consentTimeoutNanos) {
      throw new IllegalArgumentException(
          "disconnectedTimeoutNanos must not exceed consentTimeoutNanos");
    }
    if (iceLite && (!stunServers.isEmpty() || !turnServers.isEmpty() || relayOnly)) {
      throw new IllegalArgumentException(
          "an ICE-lite agent has host candidates only: remove the STUN and TURN servers and"
              + " relayOnly, or turn iceLite off for full ICE");
    }
    Objects.requireNonNull(logger, "logger");
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }

  /** The defaults, no servers. */
  public static IceConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.stunServers.addAll(stunServers);
    b.turnServers.addAll(turnServers);
    b.taNanos = taNanos;
    b.checkRtoMinNanos = checkRtoMinNanos;
    b.checkRtoMaxNanos = checkRtoMaxNanos;
    b.maxCheckTransmissions = maxCheckTransmissions;
    b.gatherTimeoutNanos = gatherTimeoutNanos;
    b.nominationDelayNanos = nominationDelayNanos;
    b.aggressiveNomination = aggressiveNomination;
    b.consentIntervalNanos = consentIntervalNanos;
    b.disconnectedTimeoutNanos = disconnectedTimeoutNanos;
    b.consentTimeoutNanos = consentTimeoutNanos;
    b.relayOnly = relayOnly;
    b.udp = udp;
    b.iceLite = iceLite;
    b.logger = logger;
    return b;
  }

  /** Builder of {@link IceConfig}; not thread-safe. */
  public static final class Builder {
    private final List<InetSocketAddress> stunServers = new ArrayList<>();
    private final List<TurnServer> turnServers = new ArrayList<>();
    private long taNanos = 50 * MS;
    private long checkRtoMinNanos = 250 * MS;
    private long checkRtoMaxNanos = 1_000 * MS;
    private int maxCheckTransmissions = 7;
    private long gatherTimeoutNanos = 5_000 * MS;
    private long nominationDelayNanos = 1_000 * MS;
    private boolean aggressiveNomination;
    private long consentIntervalNanos = 5_000 * MS;
    private long disconnectedTimeoutNanos = 12_000 * MS;
    private long consentTimeoutNanos = 30_000 * MS;
    private boolean relayOnly;
    private boolean udp = true;
    private boolean iceLite;
    private System.Logger logger = System.getLogger(IceAgent.class.getName());

    private Builder() {}

    /** Adds a STUN server (resolved address). */
    public Builder stunServer(InetSocketAddress address) {
      stunServers.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** Adds a TURN server. */
    public Builder turnServer(TurnServer server) {
      turnServers.add(Objects.requireNonNull(server, "server"));
      return this;
    }

    /** Sets Ta, the pacing of checks. */
    public Builder taNanos(long v) {
      taNanos = v;
      return this;
    }

    /** Sets the minimum first retransmission timeout of checks. */
    public Builder checkRtoMinNanos(long v) {
      checkRtoMinNanos = v;
      return this;
    }

    /** Sets the cap of the retransmission timeout of checks. */
    public Builder checkRtoMaxNanos(long v) {
      checkRtoMaxNanos = v;
      return this;
    }

    /** Sets how many times a check is sent before its pair fails. */
    public Builder maxCheckTransmissions(int v) {
      maxCheckTransmissions = v;
      return this;
    }

    /** Sets how long gathering waits for each server. */
    public Builder gatherTimeoutNanos(long v) {
      gatherTimeoutNanos = v;
      return this;
    }

    /** Sets the wait for better pairs before regular nomination. */
    public Builder nominationDelayNanos(long v) {
      nominationDelayNanos = v;
      return this;
    }

    /** Turns aggressive nomination on or off. */
    public Builder aggressiveNomination(boolean v) {
      aggressiveNomination = v;
      return this;
    }

    /** Sets the mean consent check interval. */
    public Builder consentIntervalNanos(long v) {
      consentIntervalNanos = v;
      return this;
    }

    /** Sets the silence after which the state becomes DISCONNECTED. */
    public Builder disconnectedTimeoutNanos(long v) {
      disconnectedTimeoutNanos = v;
      return this;
    }

    /** Sets the silence after which consent is lost (FAILED). */
    public Builder consentTimeoutNanos(long v) {
      consentTimeoutNanos = v;
      return this;
    }

    /** Uses only relayed candidates (ice transport policy "relay"). */
    public Builder relayOnly(boolean v) {
      relayOnly = v;
      return this;
    }

    /** Whether this agent's own UDP candidates are used (see {@link IceConfig#udp()}). */
    public Builder udp(boolean v) {
      udp = v;
      return this;
    }

    /** Makes the agent ICE-lite (see {@link IceConfig#iceLite()}). */
    public Builder iceLite(boolean v) {
      iceLite = v;
      return this;
    }

    /** Sets where the agent logs (see {@link IceConfig#logger()}). */
    public Builder logger(System.Logger v) {
      logger = Objects.requireNonNull(v, "logger");
      return this;
    }

    /** The configuration. */
    public IceConfig build() {
      return new IceConfig(
          stunServers,
          turnServers,
          taNanos,
          checkRtoMinNanos,
          checkRtoMaxNanos,
          maxCheckTransmissions,
          gatherTimeoutNanos,
          nominationDelayNanos,
          aggressiveNomination,
          consentIntervalNanos,
          disconnectedTimeoutNanos,
          consentTimeoutNanos,
          relayOnly,
          udp,
          iceLite,
          logger);
    }
  }
}
