package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.SpeechLikeSignal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Received Opus to PCM: in order, with concealed gaps, without duplicates. */
class AudioReceiverTest {
  private static final OpusConfig OPUS =
      OpusConfig.builder()
          .sampleRate(48_000)
          .channels(1)
          .frameDurationMillis(20)
          .bitrateBps(32_000)
          .build();

  private final List<short[]> blocks = new ArrayList<>();
  private final List<byte[]> packets = new ArrayList<>();
  private AudioReceiver receiver;

  @BeforeEach
  void encodeASecond() {
    receiver = new AudioReceiver(new OpusDecoder(OPUS), blocks::add);
    OpusEncoder encoder = new OpusEncoder(OPUS);
    short[] speech = SpeechLikeSignal.generate(48_000, 48_000, 7);
    byte[] out = new byte[1275];
    for (int i = 0; i < 50; i++) {
      int n = encoder.encode(speech, i * 960, out, 0, out.length);
      packets.add(Arrays.copyOf(out, n));
    }
  }

  private void receive(int index, long rtpTimestamp) {
    // A view with a non-zero position, as jpeer may hand over.
    byte[] p = packets.get(index);
    ByteBuffer b = ByteBuffer.allocate(p.length + 3).position(3);
    b.put(p).position(3);
    receiver.onFrame(b.asReadOnlyBuffer(), rtpTimestamp);
    assertEquals(3, b.position(), "the caller's buffer must not move");
  }

  @Test
  void decodesEveryFrameInOrder() {
    long ts = 0xffff_ff00L; // wraps past 2^32 on the way
    for (int i = 0; i < 50; i++) {
      receive(i, (ts + i * 960L) & 0xffff_ffffL);
    }
    assertEquals(50, receiver.framesDecoded.get());
    assertEquals(0, receiver.framesConcealed.get());
    assertEquals(50, blocks.size());
    blocks.forEach(b -> assertEquals(960, b.length));
    short[] last = blocks.get(40);
    assertTrue(LevelMeter.rmsDbfs(last, 0, last.length) > -60, "decoded audio is silent");
  }

  @Test
  void concealsAShortGapWithTheMissingDuration() {
    receive(0, 0);
    receive(1, 960);
    receive(4, 4 * 960); // frames 2 and 3 lost
    assertEquals(3, receiver.framesDecoded.get());
    assertEquals(2, receiver.framesConcealed.get());
    assertEquals(5, blocks.size(), "2 decoded, 2 concealed, 1 decoded");
    int samples = blocks.stream().mapToInt(b -> b.length).sum();
    assertEquals(5 * 960, samples, "the output keeps the sender's timeline");
  }

  @Test
  void aLongPauseIsNotConcealed() {
    receive(0, 0);
    receive(1, 960 + 48_000); // a second later: a pause (DTX), not loss
    assertEquals(0, receiver.framesConcealed.get());
    assertEquals(2, blocks.size());
  }

  @Test
  void duplicatesAndLateFramesAreDropped() {
    receive(0, 0);
    receive(1, 960);
    receive(1, 960);
    receive(0, 0);
    assertEquals(2, receiver.framesDecoded.get());
    assertEquals(2, receiver.framesLate.get());
    assertEquals(2, blocks.size());
  }

  @Test
  void garbageIsCountedNotThrown() {
    receiver.onFrame(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff}), 0);
    receiver.onFrame(ByteBuffer.allocate(0), 960);
    assertEquals(0, receiver.framesDecoded.get());
    assertEquals(2, receiver.framesRejected.get());
    assertTrue(blocks.isEmpty());
  }
}
