package io.github.jpeer.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the {@code .local} names of remote ICE candidates (RFC 6762) as a sans-IO core: {@link
 * #resolve} queues a query, {@link #pollTransmit()} gives the datagrams to send, {@link
 * #handleReceive} feeds responses, {@link #handleTimeout} retransmits and gives up.
 *
 * <p>Queries are one-shot multicast DNS queries (RFC 6762 5.1) sent from an ordinary UDP port to
 * 224.0.0.251:5353. Responders should answer such a query by unicast to the port it came from
 * (6.7), but some answer only to the group (Chrome's, which names browser candidates), so the
 * connection also listens on port 5353 as a group member and feeds what arrives there to {@link
 * #handleReceive} as well. Each name is asked for A and AAAA, up to three times one second apart;
 * after three seconds without an answer the lookup ends with {@code null} ("unresolvable"), which
 * is what the ICE agent expects.
 *
 * <p>Sans-IO and not thread-safe: queries out through {@link #pollTransmit}, answers in through
 * {@link #handleReceive}, results out through {@link #pollResolved}.
 */
public final class MdnsClient {
  /** The mDNS IPv4 group and port (RFC 6762 3). */
  public static final InetSocketAddress MDNS_IPV4 = mdnsGroup();

  private final System.Logger log;
  private static final long RETRY_NANOS = 1_000_000_000L;
  private static final int ATTEMPTS = 3;

  private final InetSocketAddress target;
  private final List<Lookup> lookups = new ArrayList<>();
  private final ArrayDeque<byte[]> transmits = new ArrayDeque<>();
  private final ArrayDeque<Resolution> resolved = new ArrayDeque<>();
  private int nextId;
  private long malformed;

  /** A client that asks the standard mDNS group. */
  public MdnsClient() {
    this(MDNS_IPV4);
  }

  /** A client that asks {@code target} instead (tests point it at a local responder). */
  public MdnsClient(InetSocketAddress target) {
    this(target, System.getLogger(MdnsClient.class.getName()));
  }

  /** A client that asks {@code target} and logs to {@code log} (a connection's logger). */
  public MdnsClient(InetSocketAddress target, System.Logger log) {
    this.target = target;
    this.log = log;
  }

  private static InetSocketAddress mdnsGroup() {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251}), 5353);
    } catch (java.net.UnknownHostException impossible) {
      throw new AssertionError(impossible); // four bytes are always an address
    }
  }

  /** Where queries go. */
  public InetSocketAddress target() {
    return target;
  }

  /**
   * An answered lookup, from {@link #pollResolved()}.
   *
   * @param hostname the name as it was asked for
   * @param address its address, or null if nobody answered within three seconds
   */
  public record Resolution(String hostname, InetAddress address) {}

  /**
   * Starts resolving {@code hostname}; a {@link Resolution} follows from {@link #pollResolved()}
   * with an address, or with {@code null} if nobody answers within three seconds (at once for a
   * name that is not {@code *.local}). Asking again while a lookup runs starts none.
   */
  public void resolve(long nowNanos, String hostname) {
    String name = hostname.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (!name.endsWith(".local") || name.length() > 255) {
      resolved.add(new Resolution(hostname, null));
      return;
    }
    for (Lookup l : lookups) {
      if (l.name.equals(name)) {
        return;
      }
    }
    Lookup l = new Lookup(name, hostname, nowNanos);
    lookups.add(l);
    send(l);
  }

  /** The next finished lookup, or null. */
  public Resolution pollResolved() {
    return resolved.poll();
  }

  private void send(Lookup l) {
    l.attempts++;
    transmits.add(DnsMessage.query(nextId++ & 0xffff, l.name, DnsMessage.TYPE_A));
    transmits.add(DnsMessage.query(nextId++ & 0xffff, l.name, DnsMessage.TYPE_AAAA));
  }

  /** The next query to send to {@link #target()}, or null. */
  public byte[] pollTransmit() {
    return transmits.poll();
  }

  /** A datagram arrived on the mDNS socket: complete the lookups it answers. */
  public void handleReceive(byte[] data, int length) {
    List<DnsMessage.Answer> answers;
    try {
      answers = DnsMessage.answers(data, length);
    } catch (DnsMessage.DnsFormatException e) {
      malformed++;
      return;
    }
    for (DnsMessage.Answer a : answers) {
      for (Iterator<Lookup> it = lookups.iterator(); it.hasNext(); ) {
        Lookup l = it.next();
        if (l.name.equals(a.name())) {
          it.remove();
          resolved.add(new Resolution(l.asked, a.address()));
        }
      }
    }
  }

  /** Retransmits lookups that are due and gives up on those past three seconds. */
  public void handleTimeout(long nowNanos) {
    for (Iterator<Lookup> it = lookups.iterator(); it.hasNext(); ) {
      Lookup l = it.next();
      long age = nowNanos - l.startNanos;
      if (age >= ATTEMPTS * RETRY_NANOS) {
        it.remove();
        log.log(
            System.Logger.Level.DEBUG,
            "no mDNS answer for {0} after {1} queries to {2}; its candidates are dropped",
            l.name,
            2 * ATTEMPTS,
            target);
        resolved.add(new Resolution(l.asked, null));
      } else if (age >= l.attempts * RETRY_NANOS) {
        send(l);
      }
    }
  }

  /** When {@link #handleTimeout} should next run, or {@link Long#MAX_VALUE}. */
  public long pollTimeoutNanos() {
    long next = Long.MAX_VALUE;
    for (Lookup l : lookups) {
      next = Math.min(next, l.startNanos + Math.min(l.attempts, ATTEMPTS) * RETRY_NANOS);
    }
    return next;
  }

  /** Lookups waiting for an answer. */
  public int pending() {
    return lookups.size();
  }

  /** Responses that were not well-formed DNS and were dropped. */
  public long malformed() {
    return malformed;
  }

  private static final class Lookup {
    final String name;
    final String asked;
    final long startNanos;
    int attempts;

    Lookup(String name, String asked, long startNanos) {
      this.name = name;
      this.asked = asked;
      this.startNanos = startNanos;
    }
  }
}
