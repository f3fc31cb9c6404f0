package io.github.jpeer.examples.openai;

import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.JitterBufferPlayer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The received audio: each packet goes into peer-media's {@link JitterBuffer} on the connection's
 * loop thread ({@link #onAudioPacket}, set as the connection's {@code onAudioPacket}), and a {@link
 * JitterBufferPlayer} on a playout thread of its own takes one 20 ms block out every 20 ms into the
 * {@link AudioOut} (the speaker's blocking write paces it, a file is paced on the clock).
 * Reordering, late and lost packets, FEC, concealment and the delay that rides out the network's
 * jitter are the buffer's; barge-in ({@link RealtimeEvents#SPEECH_STARTED}) flushes it.
 */
final class AudioReceiver implements AutoCloseable {
  /** What the sink does with a block besides writing it: the level meter. */
  interface Meter {
    void add(short[] pcm, int count);
  }

  private final JitterBuffer buffer = new JitterBuffer(); // 48 kHz mono, 20 ms, 20-200 ms delay
  private final JitterBufferPlayer player;
  private final AudioOut out;
  private Thread playout;

  /**
   * Plays into {@code out}, measuring each block with {@code meter}.
   *
   * @param nanoClock the connection's clock (its {@code PeerConfiguration.clock()}), which stamps
   *     the arrival times
   */
  AudioReceiver(AudioOut out, Meter meter, LongSupplier nanoClock) {
    this.out = out;
    JitterBufferPlayer.Sink sink =
        (pcm, offset, count) -> {
          meter.add(pcm, count);
          out.write(pcm, offset, count);
        };
    this.player =
        out.blocks()
            ? JitterBufferPlayer.toBlockingSink(buffer, sink, nanoClock)
            : JitterBufferPlayer.toSink(buffer, sink, nanoClock);
  }

  /** Starts the playout thread (once the call is up, so the output does not begin with setup). */
  void start() {
    Thread t = new Thread(player, "openai-audio-playout");
    t.setDaemon(true);
    t.start();
    playout = t;
  }

  /** One received packet, as {@code AudioPacketListener} delivers it (loop thread). */
  void onAudioPacket(ByteBuffer payload, long rtpTimestamp, int sequence, long arrivalNanos) {
    player.push(payload, rtpTimestamp, sequence, arrivalNanos);
  }

  /**
   * An {@code oai-events} event type (loop thread): on barge-in the assistant's queued audio stops
   * at once.
   *
   * @return whether it was a barge-in
   */
  boolean onRealtimeEvent(String type) {
    if (!RealtimeEvents.SPEECH_STARTED.equals(type)) {
      return false;
    }
    player.flush();
    out.flush();
    return true;
  }

  /** The player (its buffer, counters and failure). */
  JitterBufferPlayer player() {
    return player;
  }

  /** Why writing the audio failed, or null. */
  String writeError() {
    Throwable t = player.failure();
    return t == null ? null : RealtimeSession.oneLine(t);
  }

  /** 20 ms frames decoded from their packets (played). */
  long framesDecoded() {
    return player.stats().samplesFromPackets() / buffer.blockSamples();
  }

  /** 20 ms frames' worth of concealment played (loss, or a late packet waited for). */
  long framesConcealed() {
    return (player.stats().concealedSamples() + buffer.blockSamples() / 2) / buffer.blockSamples();
  }

  /** Packets the buffer dropped as malformed, or for want of room. */
  long framesRejected() {
    return player.stats().packetsDiscarded();
  }

  /** The jitter buffer's counters for the summary. */
  Map<String, Object> summary() {
    JitterBuffer.Stats s = player.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("packetsReceived", s.packetsReceived());
    m.put("packetsLate", s.packetsLate());
    m.put("packetsDuplicate", s.packetsDuplicate());
    m.put("packetsDiscarded", s.packetsDiscarded());
    m.put("samplesFromPackets", s.samplesFromPackets());
    m.put("samplesFromFec", s.samplesFromFec());
    m.put("concealedSamples", s.concealedSamples());
    m.put("silentSamples", s.silentSamples());
    m.put("insertedSamplesForDeceleration", s.insertedSamplesForDeceleration());
    m.put("removedSamplesForAcceleration", s.removedSamplesForAcceleration());
    m.put("restarts", s.restarts());
    m.put("flushes", player.flushes());
    m.put("currentDelayMillis", round(s.currentDelayMillis()));
    m.put("targetDelayMillis", round(s.targetDelayMillis()));
    m.put("jitterMillis", round(s.jitterMillis()));
    return m;
  }

  private static double round(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  /** Stops playout (within a second); the output is the caller's to close after this. */
  @Override
  public void close() {
    player.close();
    Thread t = playout;
    if (t != null) {
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
