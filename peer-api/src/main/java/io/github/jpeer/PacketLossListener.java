package io.github.jpeer;

/**
 * Told what the remote reports about the media we send (RTCP receiver reports, about once a
 * second), libpeer's {@code onReceiverPacketLoss}: a voice app lowers its bitrate or raises FEC
 * when loss climbs. Called on the loop thread; must be quick.
 */
@FunctionalInterface
public interface PacketLossListener {
  /**
   * @param fractionLost the fraction of our packets lost since the previous report (0 to 1)
   * @param totalLost the remote's cumulative count of our packets lost
   */
  void onPacketLoss(double fractionLost, long totalLost);
}
