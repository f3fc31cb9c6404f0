package io.github.jpeer.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Plays a {@link JitterBuffer} out on its own clock: packets go in on the connection's loop thread
 * ({@link #push}, shaped like peer-api's {@code AudioPacketListener}, so {@code
 * .onAudioPacket(player::push)} wires a connection to it), and a playout thread ({@link #run})
 * pulls exactly one block per period and writes it to a sink.
 *
 * <pre>{@code
 * JitterBuffer buffer = new JitterBuffer();                        // 48 kHz mono, 20 ms blocks
 * AudioPlayback speaker = AudioPlayback.open(PcmFormat.MONO_48K);
 * JitterBufferPlayer player = JitterBufferPlayer.toSpeaker(buffer, speaker, System::nanoTime);
 * PeerConfiguration config = PeerConfiguration.builder().onAudioPacket(player::push).build();
 * Thread playout = new Thread(player, "playout");
 * playout.setDaemon(true);
 * playout.start();
 * ...
 * player.flush();  // barge-in: the queued audio stops at once
 * player.close();  // stops the playout thread (within a second), then close the speaker
 * }</pre>
 *
 * <p><b>Pacing.</b> With a speaker ({@link #toSpeaker}) or another sink whose write blocks while
 * its device is full ({@link #toBlockingSink}), the device's clock paces the pulls. A sink that
 * never blocks (a file, a level meter, a test: {@link #toSink}) is paced by the player, one block
 * per period on {@code nanoClock}; if the thread falls more than {@value #MAX_LAG_BLOCKS} blocks
 * behind (a stall), it goes on from now instead of catching up in a burst.
 *
 * <p><b>Clock.</b> {@code nanoClock} must be the clock the arrival times given to {@link #push}
 * come from: peer-api's {@code PeerConfiguration.clock()}, {@code System::nanoTime} by default. The
 * player's own waits are in real time, so a paced player needs a clock that follows real time; a
 * test with a virtual clock calls {@link #playOnce} itself instead of {@link #run}.
 *
 * <p><b>Threads and errors.</b> {@link #push} is for one thread (the loop thread); {@link #run} and
 * {@link #playOnce} for one other; {@link #flush}, {@link #close} and the accessors for any.
 * peer-media starts no threads: the application runs {@link #run} on a thread of its own. An
 * exception from the sink ends playout; it is kept ({@link #failure()}) and handed to the handler
 * set with {@link #onError}, never swallowed. Nothing is allocated per packet or per block.
 */
public final class JitterBufferPlayer implements Runnable, AutoCloseable {
  /** Where the blocks go. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Takes one block: {@code count} interleaved samples of {@code pcm} from {@code offset}. The
     * array is the player's and is reused for the next block: copy what you keep.
     *
     * @throws IOException if the block cannot be written; playout then ends
     */
    void write(short[] pcm, int offset, int count) throws IOException;
  }

  /** A paced player this far behind its schedule starts a new one from now. */
  static final int MAX_LAG_BLOCKS = 5;

  private static final long CLOSE_WAIT_MILLIS = 1_000;
  private static final int MAX_PAYLOAD = 1500;

  private final JitterBuffer buffer;
  private final Sink sink;
  private final LongSupplier nanoClock;
  private final boolean paced;
  private final AudioPlayback speaker;
  private final long periodNanos;
  private final short[] block;
  private final byte[] payload = new byte[MAX_PAYLOAD]; // push's copy: the loop thread's
  private final AtomicLongArray blocks = new AtomicLongArray(JitterBuffer.Source.values().length);
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Consumer<Throwable> onError = e -> {};
  private volatile Throwable failure;
  private volatile Thread playoutThread;

  private JitterBufferPlayer(
      JitterBuffer buffer, Sink sink, LongSupplier nanoClock, boolean paced, AudioPlayback s) {
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.paced = paced;
    this.speaker = s;
    this.periodNanos = buffer.config().blockMillis() * 1_000_000L;
    this.block = new short[buffer.blockSamples() * buffer.config().channels()];
  }

  /**
   * Plays into {@code speaker}, whose blocking write paces the pulls. The speaker stays the
   * caller's to close (after this player).
   *
   * @throws IllegalArgumentException if the speaker's format is not the buffer's
   */
  public static JitterBufferPlayer toSpeaker(
      JitterBuffer buffer, AudioPlayback speaker, LongSupplier nanoClock) {
    Objects.requireNonNull(speaker, "speaker");
    PcmFormat f = speaker.format();
    JitterBuffer.Config c = buffer.config();
    if (f.sampleRate() != c.sampleRate() || f.channels() != c.channels()) {
      throw new IllegalArgumentException(
          "the speaker plays "
              + f
              + " but the buffer gives "
              + c.sampleRate()
              + " Hz, "
              + c.channels()
              + " channel(s): open the speaker with the buffer's format");
    }
    return new JitterBufferPlayer(buffer, speaker::write, nanoClock, false, speaker);
  }

  /** Plays into a sink that never blocks (a file, a meter): the player paces itself. */
  public static JitterBufferPlayer toSink(JitterBuffer buffer, Sink sink, LongSupplier nanoClock) {
    return new JitterBufferPlayer(buffer, sink, nanoClock, true, null);
  }

  /** Plays into a sink whose write blocks while its device is full, which paces the pulls. */
  public static JitterBufferPlayer toBlockingSink(
      JitterBuffer buffer, Sink sink, LongSupplier nanoClock) {
    return new JitterBufferPlayer(buffer, sink, nanoClock, false, null);
  }

  /**
   * Sets what is told when the sink fails (default: nothing beyond {@link #failure()}). Called
   * once, on the playout thread.
   */
  public JitterBufferPlayer onError(Consumer<Throwable> handler) {
    this.onError = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * One received packet into the buffer, as peer-api's {@code AudioPacketListener} hands it over
   * (so {@code player::push} is one); the payload's position and limit do not move. For one thread
   * at a time: the connection's loop thread.
   *
   * @return whether the buffer kept it (else it counted why not)
   */
  public boolean push(ByteBuffer payload, long rtpTimestamp, int sequence, long arrivalNanos) {
    int length = payload.remaining();
    if (length > MAX_PAYLOAD) {
      length = 0; // larger than any datagram carries: the buffer counts it as discarded
    }
    payload.get(payload.position(), this.payload, 0, length);
    return buffer.push(rtpTimestamp, sequence, arrivalNanos, this.payload, 0, length);
  }

  /**
   * The playout loop: one block per period until {@link #close()} or the sink fails. Run it on a
   * thread of your own (once).
   *
   * @throws IllegalStateException if it already ran
   */
  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a player runs once: make a new one to play again");
    }
    playoutThread = Thread.currentThread();
    try {
      long start = nanoClock.getAsLong();
      for (long n = 0; closed.getCount() > 0; n++) {
        if (paced) {
          long now = nanoClock.getAsLong();
          long wait = start + n * periodNanos - now;
          if (wait < -MAX_LAG_BLOCKS * periodNanos) {
            start = now - n * periodNanos; // stalled: go on from now rather than burst
          } else if (wait > 0 && closed.await(wait, TimeUnit.NANOSECONDS)) {
            break;
          }
        }
        if (!playOnce()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // asked to stop
    } finally {
      ended.countDown();
    }
  }

  /**
   * Pulls one block at the clock's time now and writes it to the sink: the step {@link #run}
   * repeats, for an application (or test) that paces playout itself.
   *
   * @return false if the sink failed (now or before) and playout is over
   */
  public boolean playOnce() {
    if (failure != null) {
      return false;
    }
    JitterBuffer.Source source = buffer.pull(nanoClock.getAsLong(), block, 0);
    blocks.incrementAndGet(source.ordinal());
    try {
      sink.write(block, 0, block.length);
      return true;
    } catch (IOException | RuntimeException e) {
      failure = e;
      onError.accept(e);
      return false;
    }
  }

  /**
   * Barge-in: drops the audio buffered and, with a speaker, what its device still queues, so the
   * next block is silence until new packets come. Any thread.
   */
  public void flush() {
    buffer.flush();
    if (speaker != null) {
      speaker.flush();
    }
    flushes.incrementAndGet();
  }

  /** The buffer played. */
  public JitterBuffer buffer() {
    return buffer;
  }

  /** The buffer's counters ({@link JitterBuffer#stats()}). */
  public JitterBuffer.Stats stats() {
    return buffer.stats();
  }

  /** Blocks played whose last samples came from {@code source}. */
  public long blocksPlayed(JitterBuffer.Source source) {
    return blocks.get(source.ordinal());
  }

  /** Times {@link #flush} was called. */
  public long flushes() {
    return flushes.get();
  }

  /** Why the sink failed, or null while it has not. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Stops playout: a paced player at once, a blocking sink after its current write. Waits up to a
   * second for the playout thread to leave {@link #run} (not when called from that thread, as a
   * sink may). Does not close the sink or speaker. Idempotent.
   */
  @Override
  public void close() {
    closed.countDown();
    if (!started.get() || Thread.currentThread() == playoutThread) {
      return;
    }
    try {
      ended.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
