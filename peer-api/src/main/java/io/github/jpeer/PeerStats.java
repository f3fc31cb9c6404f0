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
    long iceServerErrors) {

  /** Defensive copies. */
  public PeerStats {
    dropped = Map.copyOf(dropped);
    dataChannels = List.copyOf(dataChannels);
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
