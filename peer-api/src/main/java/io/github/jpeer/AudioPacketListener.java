package io.github.jpeer;

import java.nio.ByteBuffer;

/**
 * Receives the remote audio track packet by packet, with what a jitter buffer needs beside the
 * payload: the RTP sequence number and the time the packet's datagram arrived. Set it with {@link
 * PeerConfiguration.Builder#onAudioPacket} or {@link PeerConnection#onAudioPacket}.
 *
 * <p>With peer-media, buffered and decoded audio is one line: a {@code JitterBufferPlayer} has a
 * {@code push} of this shape, and its playout thread pulls one 20 ms block per period.
 *
 * <pre>{@code
 * JitterBuffer buffer = new JitterBuffer();
 * JitterBufferPlayer player = JitterBufferPlayer.toSpeaker(buffer, speaker, System::nanoTime);
 * PeerConfiguration config = PeerConfiguration.builder()
 *     .onAudioPacket(player::push)      // loop thread: into the buffer
 *     .build();
 * new Thread(player, "playout").start(); // playout thread: out of it, on the same clock
 * }</pre>
 *
 * <p><b>Clock.</b> {@code arrivalNanos} is read from {@link PeerConfiguration#clock()} ({@link
 * NanoClock#SYSTEM}, that is {@link System#nanoTime()}, unless set), when the datagram was read
 * from its socket: the playout side must pass readings of the same clock to the jitter buffer.
 *
 * <p><b>Order.</b> Packets come in sequence order: a packet that overtook an earlier one waits up
 * to 60 ms for it, and is then delivered with its own (earlier) arrival time; a packet given up on
 * leaves a gap in the sequence numbers, and one that comes after its turn is dropped. Gaps, late
 * packets and the network's jitter are the jitter buffer's to handle.
 *
 * <p><b>Contract.</b> Called on the thread that runs {@code loop()}, after any {@link
 * MediaFrameListener} set with {@code onAudioTrack}; both may be set. The buffer is jpeer's and is
 * reused for the next packet: copy what you need before returning, and do not keep it. The call
 * must be quick and must not block (a jitter buffer's push holds its lock for one copy); an
 * exception thrown from it is logged and does not stop the connection. Nothing is allocated per
 * packet on jpeer's side.
 */
@FunctionalInterface
public interface AudioPacketListener {
  /**
   * One audio packet arrived.
   *
   * @param payload the encoded frame (an Opus packet, or G.711 samples) between its position and
   *     limit, read-only
   * @param rtpTimestamp the RTP timestamp, unsigned 32-bit, in the codec's clock rate (48 kHz for
   *     Opus)
   * @param sequence the RTP sequence number, unsigned 16-bit (0 to 65535)
   * @param arrivalNanos when its datagram was read, on {@link PeerConfiguration#clock()}
   */
  void onAudioPacket(ByteBuffer payload, long rtpTimestamp, int sequence, long arrivalNanos);
}
