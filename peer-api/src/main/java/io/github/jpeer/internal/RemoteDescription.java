package io.github.jpeer.internal;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.sdp.Candidate;
import io.github.jpeer.sdp.Direction;
import io.github.jpeer.sdp.Fingerprint;
import io.github.jpeer.sdp.Fmtp;
import io.github.jpeer.sdp.SessionDescription;
import io.github.jpeer.sdp.Setup;
import java.util.List;

/**
 * What jpeer needs from the remote side's description, read once when it is applied.
 *
 * @param sdp the parsed description
 * @param iceUfrag the remote ICE username fragment
 * @param icePwd the remote ICE password
 * @param iceLite whether the remote is an ICE-lite agent (then jpeer controls)
 * @param candidates the remote candidates of every section (one transport: BUNDLE)
 * @param fingerprints the remote certificate fingerprints (RFC 8122)
 * @param setup the remote DTLS setup role
 * @param audio the negotiated audio track, or null
 * @param video the negotiated video track, or null
 * @param data the negotiated data channel section, or null
 */
public record RemoteDescription(
    SessionDescription sdp,
    String iceUfrag,
    String icePwd,
    boolean iceLite,
    List<Candidate> candidates,
    List<Fingerprint> fingerprints,
    Setup setup,
    Track audio,
    Track video,
    DataSection data) {

  /**
   * One RTP track as the remote described it.
   *
   * @param index the m-section's position in the description
   * @param mid the section's mid ({@code null} if the remote gave none)
   * @param codec jpeer's codec
   * @param payloadType the payload type the remote uses for it
   * @param clockRate the RTP clock rate
   * @param channels the channels in rtpmap (0 if none)
   * @param fmtp the remote's format parameters, or null
   * @param ssrcs the remote's announced SSRCs (empty: bind the first unknown one that arrives)
   * @param direction the remote's direction for this section
   * @param nack whether the remote accepts generic NACK for it
   * @param pli whether the remote accepts PLI
   * @param fir whether the remote accepts FIR
   */
  public record Track(
      int index,
      String mid,
      MediaCodec codec,
      int payloadType,
      int clockRate,
      int channels,
      Fmtp fmtp,
      List<Long> ssrcs,
      Direction direction,
      boolean nack,
      boolean pli,
      boolean fir) {
    /** Defensive copy. */
    public Track {
      ssrcs = List.copyOf(ssrcs);
    }
  }

  /**
   * The data channel section.
   *
   * @param index the m-section's position
   * @param mid its mid
   * @param sctpPort the remote SCTP port (5000 unless said otherwise)
   * @param maxMessageSize the largest message the remote accepts (RFC 8841: 64 KiB if unsaid)
   */
  public record DataSection(int index, String mid, int sctpPort, long maxMessageSize) {}

  /** Defensive copies. */
  public RemoteDescription {
    candidates = List.copyOf(candidates);
    fingerprints = List.copyOf(fingerprints);
  }
}
