package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.JitterBufferPlayer;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.SpeechLikeSignal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Received Opus through the jitter buffer to playout, stepped by hand on a virtual clock: packets
 * in order play as decoded blocks, a lost one is concealed, and barge-in drops what is queued.
 */
class AudioReceiverTest {
  private static final long BLOCK_NANOS = 20_000_000L;
  private static final OpusConfig OPUS =
      OpusConfig.builder()
          .sampleRate(48_000)
          .channels(1)
          .frameDurationMillis(20)
          .bitrateBps(32_000)
          .build();

  private final List<byte[]> packets = new ArrayList<>();
  private final long[] now = {1_000_000_000L};
  private long samplesMeasured;
  private AudioReceiver receiver;

  @BeforeEach
  void encodeASecond() {
    receiver = new AudioReceiver(AudioOut.none(), (pcm, n) -> samplesMeasured += n, () -> now[0]);
    OpusEncoder encoder = new OpusEncoder(OPUS);
    short[] speech = SpeechLikeSignal.generate(48_000, 48_000, 7);
    byte[] out = new byte[1275];
    for (int i = 0; i < 50; i++) {
      int n = encoder.encode(speech, i * 960, out, 0, out.length);
      packets.add(Arrays.copyOf(out, n));
    }
  }

  /** Packet {@code i} arrives now, as jpeer hands it over (a view with a non-zero position). */
  private void receive(int i) {
    byte[] p = packets.get(i);
    ByteBuffer b = ByteBuffer.allocate(p.length + 3).position(3);
    b.put(p).position(3);
    receiver.onAudioPacket(
        b.asReadOnlyBuffer(), (0xffff_ff00L + i * 960L) & 0xffff_ffffL, i, now[0]);
    assertEquals(3, b.position(), "the caller's buffer must not move");
  }

  /** One period passes: the playout takes its block. */
  private void tick() {
    assertTrue(receiver.player().playOnce());
    now[0] += BLOCK_NANOS;
  }

  @Test
  void packetsInOrderPlayAsDecodedBlocks() {
    for (int i = 0; i < 50; i++) {
      receive(i);
      tick();
    }
    JitterBufferPlayer player = receiver.player();
    assertTrue(player.blocksPlayed(JitterBuffer.Source.PACKET) >= 45, player.stats().toString());
    assertEquals(0, player.blocksPlayed(JitterBuffer.Source.CONCEALED));
    assertEquals(player.stats().samplesFromPackets() / 960, receiver.framesDecoded());
    assertEquals(50 * 960, samplesMeasured, "every block is measured, one per period");
  }

  @Test
  void aLostPacketIsConcealedOnTheSendersTimeline() {
    for (int i = 0; i < 30; i++) {
      if (i != 10 && i != 11) { // two lost
        receive(i);
      }
      tick();
    }
    assertTrue(receiver.framesConcealed() >= 1, receiver.summary().toString());
    assertEquals(28, receiver.player().stats().packetsReceived());
  }

  /**
   * Barge-in: {@code input_audio_buffer.speech_started} on the event channel means the user talks
   * over the assistant, whose audio already queued must not play on.
   */
  @Test
  void speechStartedFlushesTheQueuedAnswer() {
    for (int i = 0; i < 10; i++) {
      receive(i); // 200 ms of answer, all here at once: a burst, as after a network stall
    }
    for (int i = 0; i < 4; i++) {
      tick();
    }
    JitterBufferPlayer player = receiver.player();
    long played = player.blocksPlayed(JitterBuffer.Source.PACKET);
    assertTrue(played > 0, "the answer plays: " + player.stats());
    assertTrue(player.stats().currentDelayMillis() > 60, "more is queued: " + player.stats());

    assertFalse(receiver.onRealtimeEvent("response.output_audio_transcript.delta"));
    assertEquals(0, player.flushes());
    assertTrue(receiver.onRealtimeEvent(RealtimeEvents.SPEECH_STARTED));

    assertEquals(1, player.flushes());
    assertEquals(0.0, player.stats().currentDelayMillis(), "nothing queued after the flush");
    long silentBefore = player.blocksPlayed(JitterBuffer.Source.SILENCE);
    for (int i = 0; i < 5; i++) {
      tick();
    }
    assertEquals(played, player.blocksPlayed(JitterBuffer.Source.PACKET), "no old audio played");
    assertEquals(silentBefore + 5, player.blocksPlayed(JitterBuffer.Source.SILENCE));
    receive(3); // a straggler of the cut-off answer
    tick();
    assertEquals(played, player.blocksPlayed(JitterBuffer.Source.PACKET));
    Map<String, Object> summary = receiver.summary();
    assertEquals(1L, summary.get("flushes"));
  }
}
