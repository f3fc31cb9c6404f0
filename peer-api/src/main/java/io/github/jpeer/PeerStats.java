package io.github.jpeer;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a connection's counters, from {@link PeerConnection#getStats()}.
 *
 * @param state the connection state
 * @param audio the audio track's counters
 * @param video the video track's counters
 * @param roundTripSeconds the RTCP round-trip time, or NaN before the first report
 * @param selectedCandidatePair the candidate pair in use ({@code "host 192.0.2.1:5000 -> relay
 *     ..."}), or null before ICE selects one
 * @param relayed whether the selected pair goes through a TURN relay (ours or the remote's)
 * @param srtpProfile the negotiated SRTP profile name, or null before DTLS completes
 * @param datagramsSent packets sent: UDP datagrams, and packets over TCP (ICE-TCP, TURN over TCP)
 * @param datagramsReceived packets received: UDP datagrams, and packets over TCP
 * @param dropped datagrams and frames dropped, by reason (e.g. {@code srtp-auth}, {@code
 *     stun-bad-integrity}, {@code send-queue-full}); reasons with a zero count are left out
 * @param failure why the connection failed, as a stable key to count across calls ({@code
 *     dtls-handshake-timeout}, {@code dtls-fingerprint-mismatch}, {@code
 *     dtls-no-common-srtp-profile}, {@code dtls-alert-received}, {@code dtls-alert-sent}, {@code
 *     dtls-remote-never-finished}, {@code dtls-other}, {@code ice-failed}, {@code
 *     ice-consent-lost}); null if it has not failed. {@link PeerConnection#failureReason()} has the
 *     text.
 * @param timestampNanos when the snapshot was taken, on the connection's clock: the difference of
 *     two snapshots' timestamps is the interval to turn their counters into rates
 * @param candidatePair the selected candidate pair, or null before ICE selects one
 * @param dataChannels every data channel's counters, in creation order
 * @param iceChecks ICE connectivity and consent checks, ours and the remote's; with {@link
 *     #credentialHint()} they tell a wrong {@code a=ice-pwd} from a blocked path
 * @param iceServerErrors STUN/TURN servers that gave no candidate (each also came to {@link
 *     PeerConnection#onIceCandidateError} as an {@link IceCandidateError})
 */
public record PeerStats(
    PeerConnectionState state,
    TrackStats audio,
    TrackStats video,
    double roundTripSeconds,
    String selectedCandidatePair,
    boolean relayed,
    String srtpProfile,
    long datagramsSent,
    long datagramsReceived,
    Map<String, Long> dropped,
    String failure,
    long timestampNanos,
    CandidatePairStats candidatePair,
    List<ChannelStats> dataChannels,
    IceChecks iceChecks,
    long iceServerErrors) {

  /** Defensive copies. */
  public PeerStats {
    dropped = Map.copyOf(dropped);
    dataChannels = List.copyOf(dataChannels);
    java.util.Objects.requireNonNull(iceChecks, "iceChecks");
  }

  /**
   * ICE connectivity and consent checks (RFC 8445, RFC 7675), counted since the connection began.
   *
   * @param sent checks we sent, retransmissions included
   * @param retransmitted of those, retransmissions: a check unanswered for its timeout (250 ms at
   *     first) goes again
   * @param received the remote's checks that verified with our credentials; each was answered
   * @param responses answers to our checks that verified with the remote's credentials
   * @param unauthorized 401 error responses to our checks: the remote did not accept the
   *     credentials its description gave us
   * @param badIntegrityChecks the remote's checks whose MESSAGE-INTEGRITY failed with our password
   *     (also counted in {@code stun-bad-integrity}): the remote was given another password than
   *     ours
   * @param badIntegrityResponses answers to our checks whose MESSAGE-INTEGRITY failed with the
   *     remote's password as its description gave it (also counted in {@code stun-bad-integrity})
   */
  public record IceChecks(
      long sent,
      long retransmitted,
      long received,
      long responses,
      long unauthorized,
      long badIntegrityChecks,
      long badIntegrityResponses) {}

  /**
   * Why ICE checks are not succeeding, when the counters point at the ICE credentials rather than
   * the network; empty when they do not (then a path that never answers is the likelier cause).
   * What it reads, in this order: the remote's answers fail the integrity check with the {@code
   * a=ice-pwd} its description gave us; it refuses our checks with 401; its checks fail the
   * integrity check with our password (it was given another than ours); its checks name another
   * ufrag; or its checks reach us and are answered while none of ours is, one of them retransmitted
   * for want of an answer (an agent that drops a check failing its integrity check says nothing, so
   * this is the sign of our having its password wrong). Never contains a password.
   */
  public String credentialHint() {
    return credentialHint(dropped.getOrDefault("stun-unknown-ufrag", 0L), iceChecks);
  }

  /** {@link #credentialHint()} from the counters; shared with the connection's failure reason. */
  static String credentialHint(long unknownUfrag, IceChecks c) {
    if (c.badIntegrityResponses() > 0) {
      return c.badIntegrityResponses()
          + " answers from the remote failed the integrity check: the a=ice-pwd in the remote"
          + " description is not the remote agent's (check the signaling passes it unchanged)";
    }
    if (c.unauthorized() > 0) {
      return "the remote refused "
          + c.unauthorized()
          + " of our checks as unauthorized (STUN 401): it does not accept the a=ice-ufrag and"
          + " a=ice-pwd its description gave us (check the signaling passes it unchanged, and that"
          + " it is this call's)";
    }
    if (c.badIntegrityChecks() > 0) {
      return c.badIntegrityChecks()
          + " checks from the remote failed the integrity check with our a=ice-pwd: the remote"
          + " was given another password than ours (check the signaling passes our description"
          + " unchanged, and that it is this call's)";
    }
    if (unknownUfrag > 0) {
      return unknownUfrag
          + " checks from the remote named another ICE ufrag: it was given another offer or"
          + " answer than ours (was createOffer or restartIce called again?)";
    }
    // Not before one of ours has waited out its timeout: the remote's first checks are often
    // answered before the answer to our first arrives.
    if (c.received() > 0 && c.responses() == 0 && c.retransmitted() > 0) {
      return "the remote's checks reach us ("
          + c.received()
          + " answered) but none of our "
          + c.sent()
          + " checks was answered: an agent drops checks that fail its integrity check, so the"
          + " a=ice-pwd in the remote description is likely not the remote agent's (check the"
          + " signaling passes it unchanged)";
    }
    return "";
  }

  /**
   * The selected candidate pair.
   *
   * @param localType the local candidate's type ({@code host}, {@code srflx}, {@code prflx}, {@code
   *     relay})
   * @param local the local candidate's address (for a relayed one, the TURN allocation's)
   * @param remoteType the remote candidate's type
   * @param remote the remote candidate's address
   * @param relayed whether data goes through a TURN relay (ours or the remote's)
   * @param roundTripSeconds the STUN round trip on the pair, or NaN before one was measured
   * @param relayProtocol how we reach our TURN server when the local candidate is relayed ({@code
   *     udp}, or {@code tcp} for a {@code ?transport=tcp} server), else null (W3C's {@code
   *     relayProtocol})
   * @param protocol the pair's transport between us and the remote candidate: {@code udp}, or
   *     {@code tcp} for ICE-TCP (RFC 6544; W3C's candidate {@code protocol})
   * @param tcpType for an ICE-TCP pair the local candidate's {@code tcptype} ({@code active} when
   *     we connected out, {@code passive} when the remote connected to us), else null
   */
  public record CandidatePairStats(
      String localType,
      java.net.InetSocketAddress local,
      String remoteType,
      java.net.InetSocketAddress remote,
      boolean relayed,
      double roundTripSeconds,
      String relayProtocol,
      String protocol,
      String tcpType) {}

  /**
   * One data channel's counters.
   *
   * @param label its label
   * @param id its SCTP stream id, or -1 before the DTLS role is known
   * @param state {@code connecting}, {@code open} or {@code closed}
   * @param messagesSent messages handed to SCTP
   * @param bytesSent their bytes
   * @param messagesReceived messages delivered
   * @param bytesReceived their bytes
   * @param bufferedAmount what {@link DataChannel#bufferedAmount()} said at the snapshot
   */
  public record ChannelStats(
      String label,
      int id,
      String state,
      long messagesSent,
      long bytesSent,
      long messagesReceived,
      long bytesReceived,
      long bufferedAmount) {}

  /**
   * One track's counters.
   *
   * @param packetsSent RTP packets sent
   * @param bytesSent payload bytes sent
   * @param packetsReceived RTP packets received (authenticated, of this track): those passed on to
   *     the callbacks, those discarded ({@code packetsDiscarded}) and those held a moment for the
   *     packets before them (at most the reorder window, so when the stream is quiet {@code
   *     packetsReceived} is what was passed on plus {@code packetsDiscarded})
   * @param bytesReceived payload bytes received
   * @param packetsLost packets the remote sent that never arrived (RFC 3550 cumulative loss:
   *     expected minus received, so a packet that arrived too late counts as received, and in
   *     {@code packetsDiscarded}, not as lost, as in WebRTC's statistics)
   * @param jitterSeconds interarrival jitter of what we receive (RFC 3550 A.8)
   * @param remoteFractionLost the remote's last reported loss of what we send (0 to 1)
   * @param nacksReceived generic NACK packets (RFC 4585) the remote sent about this track
   * @param packetsRetransmitted packets sent again because a NACK asked for them (video, when the
   *     remote negotiated {@code nack}; audio is never resent)
   * @param packetsDiscarded packets received and not used: they came after their turn had passed
   *     (counted as {@code rtp-late} in {@link PeerStats#dropped()}) or again (a network duplicate
   *     the reorder stage had, {@code rtp-duplicate}); W3C {@code packetsDiscarded}
   */
  public record TrackStats(
      long packetsSent,
      long bytesSent,
      long packetsReceived,
      long bytesReceived,
      long packetsLost,
      double jitterSeconds,
      double remoteFractionLost,
      long nacksReceived,
      long packetsRetransmitted,
      long packetsDiscarded) {
    /** A track with nothing counted. */
    public static final TrackStats EMPTY = new TrackStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
