package io.github.jpeer.media;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An adaptive jitter buffer for received Opus audio, after libwebrtc's NetEq: packets go in as they
 * arrive ({@link #push}), in any order, and a playout clock takes out exactly one block of PCM per
 * call ({@link #pull}), never waiting: decoded from its packet, recovered from the next packet's
 * in-band FEC, concealed (PLC), or silence.
 *
 * <p><b>Delay.</b> Each packet's arrival is compared with its RTP timestamp; the spread of those
 * transit times over the last {@link Config#windowPackets()} packets (their 95th percentile above
 * the smallest) is the target delay, clamped to {@link Config#minDelayMillis()} and {@link
 * Config#maxDelayMillis()}: how late a packet may be and still play. The playout point is kept that
 * far behind the earliest arrival of the sample it plays, without clicks: while it lags less, a
 * packet that is missing is waited for (concealment plays in its place, so the delay grows and the
 * packet still plays when it comes); once it lags more than the target, a missing packet counts as
 * lost; and a lag above the target by more than a block shrinks by dropping decoded blocks that are
 * silence (speech only past the maximum delay).
 *
 * <p><b>Loss.</b> A packet is given up for lost when it is due and a later one is already here: its
 * audio is recovered from the later packet's FEC (Opus LBRR, RFC 6716 section 4.2.4; negotiated as
 * {@code useinbandfec=1}) when that packet directly follows it, concealed otherwise. A timestamp
 * jump with no sequence gap is discontinuous transmission (DTX) or a new talk spurt: silence, not a
 * loss. Concealment lasts at most {@link Config#maxConcealMillis()}; after that a gap is silence. A
 * packet that comes after its time was played is late and dropped; one that would play further
 * ahead than the maximum delay (the sender's clock jumped, or the stream restarted) makes the
 * buffer start over from it.
 *
 * <p><b>Threads.</b> {@link #push} comes from the connection's loop thread, {@link #pull} from the
 * audio device's; every method takes this object's lock, held for one packet or one block. Nothing
 * is allocated per packet or block (Concentus allocates inside its decoder).
 */
public final class JitterBuffer {

  /** Where the samples of a block came from (the last source that wrote into it). */
  public enum Source {
    /** Decoded from the packet that carried them. */
    PACKET,
    /** Recovered from the next packet's in-band FEC. */
    FEC,
    /** Concealed (Opus PLC): lost, or late and waited for. */
    CONCEALED,
    /** Silence: nothing received yet, DTX, or a gap longer than concealment may run. */
    SILENCE
  }

  /**
   * Settings.
   *
   * @param sampleRate the PCM rate pulled: 8000, 12000, 16000, 24000 or 48000 Hz
   * @param channels 1 or 2
   * @param blockMillis what one {@link #pull} gives: 10 or 20 ms
   * @param minDelayMillis the least target delay (default 20 ms)
   * @param maxDelayMillis the most target delay, and the most audio held (default 200 ms)
   * @param maxConcealMillis how long a gap is concealed before it becomes silence (default 100 ms)
   * @param windowPackets how many recent packets the jitter estimate looks at (default 100, 2 s)
   */
  public record Config(
      int sampleRate,
      int channels,
      int blockMillis,
      int minDelayMillis,
      int maxDelayMillis,
      int maxConcealMillis,
      int windowPackets) {
    /** Checks the settings. */
    public Config {
      if (Arrays.stream(OpusConfig.SAMPLE_RATES).noneMatch(r -> r == sampleRate)) {
        throw new IllegalArgumentException(
            "sampleRate " + sampleRate + " Hz is not an Opus rate: use 8000 to 48000");
      }
      if (channels != 1 && channels != 2) {
        throw new IllegalArgumentException("channels must be 1 or 2, got " + channels);
      }
      if (blockMillis != 10 && blockMillis != 20) {
        throw new IllegalArgumentException("blockMillis must be 10 or 20, got " + blockMillis);
      }
      if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis || maxDelayMillis > 2000) {
        throw new IllegalArgumentException(
            "delays must satisfy 0 <= minDelayMillis <= maxDelayMillis <= 2000, got "
                + minDelayMillis
                + " and "
                + maxDelayMillis);
      }
      if (maxConcealMillis < 0 || maxConcealMillis > 1000) {
        throw new IllegalArgumentException("maxConcealMillis must be 0..1000: " + maxConcealMillis);
      }
      if (windowPackets < 10 || windowPackets > 1000) {
        throw new IllegalArgumentException("windowPackets must be 10..1000: " + windowPackets);
      }
    }

    /** 48 kHz mono, 20 ms blocks, 20-200 ms delay, 100 ms of concealment, a 100-packet window. */
    public static Config defaults() {
      return new Config(48_000, 1, 20, 20, 200, 100, 100);
    }

    /** These settings at another PCM rate and channel count. */
    public Config withFormat(int sampleRate, int channels) {
      return new Config(
          sampleRate,
          channels,
          blockMillis,
          minDelayMillis,
          maxDelayMillis,
          maxConcealMillis,
          windowPackets);
    }

    /** These settings with other delay bounds. */
    public Config withDelays(int minDelayMillis, int maxDelayMillis) {
      return new Config(
          sampleRate,
          channels,
          blockMillis,
          minDelayMillis,
          maxDelayMillis,
          maxConcealMillis,
          windowPackets);
    }
  }

  /**
   * Counters, in the spirit of WebRTC's inbound-rtp statistics. Samples are per channel at the
   * pulled rate.
   *
   * @param packetsReceived packets pushed and kept
   * @param packetsLate packets that came after their time was played (dropped)
   * @param packetsDuplicate packets already held or played (dropped)
   * @param packetsDiscarded packets dropped otherwise: no room, malformed, or beyond a restart
   * @param samplesFromPackets samples decoded from their own packet
   * @param samplesFromFec samples recovered from FEC
   * @param concealedSamples samples concealed (WebRTC's {@code concealedSamples})
   * @param silentSamples samples of silence (before the first packet, DTX, long gaps)
   * @param insertedSamplesForDeceleration concealment played to let a late packet in (the buffer
   *     grew)
   * @param removedSamplesForAcceleration decoded samples dropped to shrink the buffer
   * @param restarts times the buffer started over on a timestamp jump
   * @param currentDelayMillis audio held now, from the next sample to play to the newest packet's
   *     end
   * @param targetDelayMillis the delay the buffer steers to
   * @param jitterMillis the 95th percentile of transit-time spread over the window
   */
  public record Stats(
      long packetsReceived,
      long packetsLate,
      long packetsDuplicate,
      long packetsDiscarded,
      long samplesFromPackets,
      long samplesFromFec,
      long concealedSamples,
      long silentSamples,
      long insertedSamplesForDeceleration,
      long removedSamplesForAcceleration,
      long restarts,
      double currentDelayMillis,
      double targetDelayMillis,
      double jitterMillis) {}

  /** The RTP clock of Opus is 48 kHz whatever the decoded rate (RFC 7587 section 4.1). */
  private static final int RTP_RATE = 48_000;

  private static final int[] SILK_TICKS = {480, 960, 1920, 2880}; // 10, 20, 40, 60 ms
  private static final int[] CELT_TICKS = {120, 240, 480, 960}; // 2.5, 5, 10, 20 ms

  private static final int SLOTS = 64; // 1.28 s of 20 ms packets
  private static final int MAX_PAYLOAD = 1500;

  private final Config config;
  private final OpusDecoder decoder;
  private final int blockSamples; // per channel
  private final int ticksPerSample; // RTP ticks per PCM sample: 48000 / rate
  private final int minDelayTicks;
  private final int maxDelayTicks;
  private final int maxConcealTicks;

  // Packets waiting, unordered in slots; found by timestamp.
  private final long[] slotTs = new long[SLOTS];
  private final int[] slotSeq = new int[SLOTS];
  private final int[] slotLen = new int[SLOTS];
  private final boolean[] slotUsed = new boolean[SLOTS];
  private final byte[][] slotData = new byte[SLOTS][MAX_PAYLOAD];
  private final byte[] scratch = new byte[MAX_PAYLOAD]; // a ByteBuffer payload on its way in
  private int held;

  // Decoded samples not yet pulled (interleaved), from fifoStart to fifoEnd.
  private final short[] fifo;
  private int fifoStart;
  private int fifoEnd;
  private Source fifoSource = Source.SILENCE;

  // Jitter: transit time (arrival - timestamp) of recent packets, in RTP ticks.
  private final long[] transit;
  private final long[] sorted;
  private int transitCount;
  private int transitNext;
  private long baseArrivalNanos;
  private boolean haveBase;
  private long unwrapBase = -1;
  private long unwrapHigh;
  private int targetTicks;
  private long minTransit;
  private int jitterTicks;

  private boolean started;
  private boolean playing; // started, and the first target's worth was buffered
  private long nextTs; // RTP timestamp of the next sample to decode into the fifo (unsigned 32)
  private int lastSeq;
  private int newestSeq;
  private long newestEndTs;
  private int concealedRunTicks;
  private int waitedTicks; // concealment played while the next packet is late

  private long packetsReceived;
  private long packetsLate;
  private long packetsDuplicate;
  private long packetsDiscarded;
  private long samplesFromPackets;
  private long samplesFromFec;
  private long concealedSamples;
  private long silentSamples;
  private long insertedSamples;
  private long removedSamples;
  private long restarts;

  /** A buffer with {@code config}, decoding with a new Opus decoder of its format. */
  public JitterBuffer(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.decoder = new OpusDecoder(new PcmFormat(config.sampleRate(), config.channels()));
    this.blockSamples = config.sampleRate() / 1000 * config.blockMillis();
    this.ticksPerSample = RTP_RATE / config.sampleRate();
    this.minDelayTicks = RTP_RATE / 1000 * config.minDelayMillis();
    this.maxDelayTicks = RTP_RATE / 1000 * config.maxDelayMillis();
    this.maxConcealTicks = RTP_RATE / 1000 * config.maxConcealMillis();
    // room for the longest packet (120 ms) on top of a block not yet taken
    this.fifo = new short[(decoder.maxSamplesPerPacket() + blockSamples) * config.channels()];
    this.transit = new long[config.windowPackets()];
    this.sorted = new long[config.windowPackets()];
    this.targetTicks = minDelayTicks;
  }

  /** A buffer with {@link Config#defaults()}. */
  public JitterBuffer() {
    this(Config.defaults());
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** Samples per channel that one {@link #pull} gives. */
  public int blockSamples() {
    return blockSamples;
  }

  /**
   * Takes one received Opus packet. Never throws for its content: a packet that is late, a
   * duplicate, malformed or without room is counted and dropped.
   *
   * @param rtpTimestamp the RTP timestamp (unsigned 32-bit, 48 kHz)
   * @param sequence the RTP sequence number (unsigned 16-bit)
   * @param arrivalNanos when it arrived, on the clock {@link #pull} is given
   * @return whether it was kept
   */
  public synchronized boolean push(
      long rtpTimestamp, int sequence, long arrivalNanos, byte[] payload, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    long ts = rtpTimestamp & 0xFFFF_FFFFL;
    int duration = packetTicks(payload, offset, length);
    if (duration <= 0 || length > MAX_PAYLOAD) {
      packetsDiscarded++;
      return false;
    }
    observeTransit(ts, arrivalNanos);
    if (started) {
      int ahead = diff(ts, nextTs);
      if (ahead < 0) {
        if (diff(ts + duration, nextTs) <= 0) {
          packetsLate++; // its time was played
          return false;
        }
      } else if (ahead > maxDelayTicks + RTP_RATE) {
        // A second beyond the most we hold: the sender's clock jumped, or the stream restarted.
        restart();
      }
    }
    if (find(ts) >= 0) {
      packetsDuplicate++;
      return false;
    }
    int slot = freeSlot();
    if (slot < 0) {
      packetsDiscarded++;
      return false;
    }
    slotUsed[slot] = true;
    slotTs[slot] = ts;
    slotSeq[slot] = sequence & 0xFFFF;
    slotLen[slot] = length;
    System.arraycopy(payload, offset, slotData[slot], 0, length);
    held++;
    packetsReceived++;
    long end = (ts + duration) & 0xFFFF_FFFFL;
    if (!started) {
      started = true;
      nextTs = ts;
      newestEndTs = end;
      lastSeq = (sequence - 1) & 0xFFFF;
      newestSeq = sequence & 0xFFFF;
    } else if (diff(end, newestEndTs) > 0) {
      newestEndTs = end;
      newestSeq = sequence & 0xFFFF;
    }
    return true;
  }

  /**
   * {@link #push(long, int, long, byte[], int, int)} for a payload between {@code payload}'s
   * position and limit (not moved), in the shape of peer-api's {@code AudioPacketListener}: {@code
   * PeerConfiguration.builder().onAudioPacket(jitterBuffer::push)} buffers a call's audio.
   */
  public synchronized boolean push(
      ByteBuffer payload, long rtpTimestamp, int sequence, long arrivalNanos) {
    int length = payload.remaining();
    if (length > MAX_PAYLOAD) {
      packetsDiscarded++;
      return false;
    }
    payload.get(payload.position(), scratch, 0, length);
    return push(rtpTimestamp, sequence, arrivalNanos, scratch, 0, length);
  }

  /**
   * Fills {@code pcm} from {@code offset} with one block ({@link #blockSamples()} per channel,
   * interleaved). Never blocks.
   *
   * @param nowNanos the time on the playout clock (the clock of {@link #push}'s arrival times)
   * @return where the block's last samples came from
   */
  public synchronized Source pull(long nowNanos, short[] pcm, int offset) {
    int need = blockSamples * config.channels();
    Objects.checkFromIndexSize(offset, need, pcm.length);
    for (int guard = 0; fifoEnd - fifoStart < need && guard < 64; guard++) {
      refill(nowNanos);
    }
    if (fifoEnd - fifoStart < need) {
      Arrays.fill(pcm, offset, offset + need, (short) 0); // 64 pieces short of a block: never
      return Source.SILENCE;
    }
    System.arraycopy(fifo, fifoStart, pcm, offset, need);
    fifoStart += need;
    if (fifoStart == fifoEnd) {
      fifoStart = 0;
      fifoEnd = 0;
    }
    return fifoSource;
  }

  /**
   * Drops everything buffered at once, as on barge-in (the user talks over the assistant, whose
   * queued audio must not play): the next pull is silence until new packets come, and a packet of
   * the old stream that comes later is late.
   */
  public synchronized void flush() {
    Arrays.fill(slotUsed, false);
    held = 0;
    fifoStart = 0;
    fifoEnd = 0;
    if (started) {
      nextTs = newestEndTs; // what was sent so far counts as played
      lastSeq = newestSeq;
    }
    playing = false; // the next talk spurt fills up to the target first
    waitedTicks = 0;
    // Concealment would extrapolate the voice just cut off: none until a packet plays again.
    concealedRunTicks = maxConcealTicks;
  }

  /** A snapshot of the counters. */
  public synchronized Stats stats() {
    double msPerTick = 1000.0 / RTP_RATE;
    int buffered = started ? Math.max(0, diff(newestEndTs, nextTs)) : 0;
    double fifoMillis =
        (fifoEnd - fifoStart) / (double) config.channels() * 1000.0 / config.sampleRate();
    return new Stats(
        packetsReceived,
        packetsLate,
        packetsDuplicate,
        packetsDiscarded,
        samplesFromPackets,
        samplesFromFec,
        concealedSamples,
        silentSamples,
        insertedSamples,
        removedSamples,
        restarts,
        buffered * msPerTick + fifoMillis,
        targetTicks * msPerTick,
        jitterTicks * msPerTick);
  }

  // ------------------------------------------------------------------ playout

  /** Decodes, recovers, conceals or silences the next piece into the fifo. */
  private Source refill(long nowNanos) {
    compactFifo();
    if (!started) {
      return silence(blockSamples);
    }
    long lag = lagTicks(nowNanos);
    if (!playing) {
      if (lag < targetTicks && waitedTicks < maxDelayTicks) {
        // Until the first sample is the target behind its earliest arrival: silence.
        waitedTicks += blockTicks();
        return silence(blockSamples);
      }
      playing = true;
      waitedTicks = 0;
    }
    int slot = find(nextTs);
    if (slot >= 0) {
      return playPacket(slot, lag);
    }
    int next = earliestAfter(nextTs);
    if (next < 0) {
      // Nothing buffered: the next packet is late, lost, or the stream paused.
      if (lag < targetTicks && waitedTicks < maxDelayTicks) {
        return waitFor(); // it may still come within the target: grow the delay for it
      }
      // Later than the target allows: count it lost, and time goes on.
      Source s = conceal(blockSamples);
      nextTs = (nextTs + (long) blockSamples * ticksPerSample) & 0xFFFF_FFFFL;
      // lastSeq stays: if the next packet's sequence follows it, this was a pause (DTX), and if
      // not, the packets between were lost and the next one's FEC may still recover the last
      newestEndTs = diff(newestEndTs, nextTs) < 0 ? nextTs : newestEndTs;
      return s;
    }
    int gap = diff(slotTs[next], nextTs);
    boolean consecutive = ((lastSeq + 1) & 0xFFFF) == slotSeq[next];
    if (consecutive) {
      // No packet is missing, the timestamps jumped: DTX or a new talk spurt. Silence until it;
      // what was played while waiting for it already covered part of the gap.
      int skip = Math.min(gap, waitedTicks);
      if (skip > 0) {
        nextTs = (nextTs + skip) & 0xFFFF_FFFFL;
        waitedTicks -= skip;
        gap -= skip;
        if (gap == 0) {
          return fifoSource;
        }
      }
      int samples = Math.min(gap / ticksPerSample, blockSamples);
      nextTs = (nextTs + (long) samples * ticksPerSample) & 0xFFFF_FFFFL;
      concealedRunTicks = 0;
      return silence(samples);
    }
    if (lag < targetTicks && waitedTicks < maxDelayTicks) {
      // The missing packet may be late rather than lost, and it is not yet later than the
      // target: wait for it.
      return waitFor();
    }
    waitedTicks = 0;
    int nextDuration = packetTicks(slotData[next], 0, slotLen[next]);
    if (gap == nextDuration) {
      // Exactly one packet missing, and its successor is here: its FEC carries the lost audio.
      int samples = gap / ticksPerSample;
      int got = decoder.decodeFec(slotData[next], 0, slotLen[next], fifo, fifoEnd, samples);
      if (got > 0) {
        fifoEnd += got * config.channels();
        samplesFromFec += got;
        nextTs = (nextTs + (long) got * ticksPerSample) & 0xFFFF_FFFFL;
        lastSeq = (lastSeq + 1) & 0xFFFF;
        concealedRunTicks = 0;
        return fifoSource = Source.FEC;
      }
    }
    // Lost: conceal one block (or the gap, if shorter), then go on.
    int samples = Math.min(gap / ticksPerSample, blockSamples);
    samples = samples - samples % (config.sampleRate() / 400); // a multiple of 2.5 ms
    if (samples <= 0) {
      // a gap under 2.5 ms: a timestamp quirk, skip it
      nextTs = slotTs[next];
      return fifoSource;
    }
    Source s = conceal(samples);
    nextTs = (nextTs + (long) samples * ticksPerSample) & 0xFFFF_FFFFL;
    // The sequence number the gap has reached: the packets still missing before the next one.
    int missing = Math.max(0, diff(slotTs[next], nextTs)) / Math.max(1, nextDuration);
    lastSeq = (slotSeq[next] - 1 - missing) & 0xFFFF;
    return s;
  }

  private Source playPacket(int slot, long lag) {
    int got =
        decoder.decode(
            slotData[slot], 0, slotLen[slot], fifo, fifoEnd, decoder.maxSamplesPerPacket());
    int duration = packetTicks(slotData[slot], 0, slotLen[slot]);
    lastSeq = slotSeq[slot];
    release(slot);
    waitedTicks = 0;
    concealedRunTicks = 0;
    if (got <= 0) {
      // undecodable after all: conceal its duration
      int samples = duration / ticksPerSample;
      Source s = conceal(samples - samples % (config.sampleRate() / 400));
      nextTs = (nextTs + duration) & 0xFFFF_FFFFL;
      return s;
    }
    nextTs = (nextTs + (long) got * ticksPerSample) & 0xFFFF_FFFFL;
    int first = fifoEnd;
    fifoEnd += got * config.channels();
    if (lag > targetTicks + blockTicks() && (quiet(first, fifoEnd) || lag > maxDelayTicks)) {
      // Too much held: drop this piece (silence if we can, speech only past the maximum).
      fifoEnd = first;
      removedSamples += got;
      return fifoSource;
    }
    samplesFromPackets += got;
    return fifoSource = Source.PACKET;
  }

  /** Concealment in place of a packet not here yet; silence once concealment ran too long. */
  private Source waitFor() {
    int samples = blockSamples;
    waitedTicks += samples * ticksPerSample;
    insertedSamples += samples;
    return conceal(samples);
  }

  private Source conceal(int samples) {
    if (samples <= 0) {
      return fifoSource;
    }
    if (concealedRunTicks >= maxConcealTicks) {
      return silence(samples);
    }
    decoder.decodeLost(fifo, fifoEnd, samples);
    fifoEnd += samples * config.channels();
    concealedSamples += samples;
    concealedRunTicks += samples * ticksPerSample;
    return fifoSource = Source.CONCEALED;
  }

  private Source silence(int samples) {
    int n = samples * config.channels();
    Arrays.fill(fifo, fifoEnd, fifoEnd + n, (short) 0);
    fifoEnd += n;
    silentSamples += samples;
    return fifoSource = Source.SILENCE;
  }

  /** Whether the decoded samples are quiet enough to drop unheard (below -50 dBFS RMS). */
  private boolean quiet(int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += (long) fifo[i] * fifo[i];
    }
    int n = Math.max(1, to - from);
    return sum / n < 107; // (32768 * 10^(-50/20))^2
  }

  private void compactFifo() {
    if (fifoStart > 0) {
      System.arraycopy(fifo, fifoStart, fifo, 0, fifoEnd - fifoStart);
      fifoEnd -= fifoStart;
      fifoStart = 0;
    }
  }

  private int blockTicks() {
    return blockSamples * ticksPerSample;
  }

  private void restart() {
    Arrays.fill(slotUsed, false);
    held = 0;
    started = false;
    playing = false;
    waitedTicks = 0;
    concealedRunTicks = 0;
    haveBase = false;
    transitCount = 0;
    transitNext = 0; // the window fills from slot 0 again
    restarts++;
  }

  // ------------------------------------------------------------------ jitter

  private void observeTransit(long ts, long arrivalNanos) {
    if (!haveBase) {
      haveBase = true;
      baseArrivalNanos = arrivalNanos;
    }
    // arrival on the RTP clock, relative to the first packet; minus the timestamp: the transit
    // time up to a constant
    long arrivalTicks = (arrivalNanos - baseArrivalNanos) * RTP_RATE / 1_000_000_000L;
    transit[transitNext] = arrivalTicks - unwrap(ts);
    transitNext = (transitNext + 1) % transit.length;
    transitCount = Math.min(transitCount + 1, transit.length);
    System.arraycopy(transit, 0, sorted, 0, transitCount);
    Arrays.sort(sorted, 0, transitCount);
    long spread = sorted[(int) ((transitCount - 1) * 0.95)] - sorted[0];
    jitterTicks = (int) Math.min(Integer.MAX_VALUE, spread);
    minTransit = sorted[0];
    long target = spread;
    targetTicks = (int) Math.max(minDelayTicks, Math.min(maxDelayTicks, target));
  }

  /**
   * How far the playout point is behind the earliest arrival of the next sample to play (its
   * timestamp plus the least transit time seen): the lateness a packet may have and still play.
   */
  private long lagTicks(long nowNanos) {
    if (!haveBase) {
      return 0;
    }
    long nowTicks = (nowNanos - baseArrivalNanos) * RTP_RATE / 1_000_000_000L;
    long unwrapped = unwrapHigh + nextTs;
    long last = unwrapHigh + unwrapBase;
    if (unwrapped - last > (1L << 31)) {
      unwrapped -= 1L << 32;
    } else if (unwrapped - last < -(1L << 31)) {
      unwrapped += 1L << 32;
    }
    return nowTicks - (unwrapped + minTransit);
  }

  /** RTP timestamps as a continuous count: wraps of the 32-bit field are added back. */
  private long unwrap(long ts) {
    if (unwrapBase < 0) {
      unwrapBase = ts;
    }
    long candidate = unwrapHigh + ts;
    long last = unwrapHigh + unwrapBase;
    if (candidate - last < -(1L << 31)) {
      unwrapHigh += 1L << 32;
      candidate += 1L << 32;
    } else if (candidate - last > (1L << 31)) {
      candidate -= 1L << 32;
    }
    unwrapBase = candidate - unwrapHigh;
    return candidate;
  }

  // ------------------------------------------------------------------ slots

  private int find(long ts) {
    for (int i = 0; i < SLOTS; i++) {
      if (slotUsed[i] && slotTs[i] == ts) {
        return i;
      }
    }
    return -1;
  }

  /** The buffered packet with the smallest timestamp after {@code ts}, or -1. */
  private int earliestAfter(long ts) {
    int best = -1;
    for (int i = 0; i < SLOTS; i++) {
      if (slotUsed[i]) {
        int d = diff(slotTs[i], ts);
        if (d < 0) {
          release(i); // behind the playout point: its time is gone
          packetsLate++;
        } else if (best < 0 || d < diff(slotTs[best], ts)) {
          best = i;
        }
      }
    }
    return best;
  }

  private int freeSlot() {
    for (int i = 0; i < SLOTS; i++) {
      if (!slotUsed[i]) {
        return i;
      }
    }
    return -1;
  }

  private void release(int slot) {
    slotUsed[slot] = false;
    held--;
  }

  /** {@code a - b} for unsigned 32-bit timestamps, as a signed distance. */
  private static int diff(long a, long b) {
    return (int) (a - b);
  }

  /**
   * An Opus packet's duration in 48 kHz ticks from its TOC byte and frame count (RFC 6716 section
   * 3.1), or -1 if it is not a valid packet.
   */
  static int packetTicks(byte[] p, int off, int len) {
    if (len < 1) {
      return -1;
    }
    int toc = p[off] & 0xFF;
    int config = toc >>> 3;
    int frameTicks;
    if (config < 12) {
      frameTicks = SILK_TICKS[config & 3];
    } else if (config < 16) {
      frameTicks = (config & 1) == 0 ? 480 : 960; // hybrid: 10, 20 ms
    } else {
      frameTicks = CELT_TICKS[config & 3];
    }
    int frames;
    switch (toc & 3) {
      case 0 -> frames = 1;
      case 1, 2 -> frames = 2;
      default -> {
        if (len < 2) {
          return -1;
        }
        frames = p[off + 1] & 0x3F;
      }
    }
    int ticks = frames * frameTicks;
    return frames == 0 || ticks > 5760 ? -1 : ticks; // at most 120 ms
  }
}
