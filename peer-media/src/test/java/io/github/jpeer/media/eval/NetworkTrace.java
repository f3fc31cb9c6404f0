package io.github.jpeer.media.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What a simulated network does to a stream of 20 ms packets, in virtual time: which packets are
 * lost and when each other one arrives. Both receivers of an evaluation are fed the same trace.
 *
 * <p><b>Loss.</b> {@link LossModel#RANDOM}: each packet independently with the condition's
 * probability. {@link LossModel#BURSTY}: a two-state Gilbert-Elliott chain (good: nothing lost;
 * bad: everything lost) whose bad state lasts {@value #MEAN_BURST} packets on average (leaves it
 * with probability 1/3) and whose stationary loss is the condition's.
 *
 * <p><b>Jitter.</b> Each packet's extra delay (on top of a fixed path delay, which changes nothing
 * and is taken as 0) is exponential with mean {@code jitterMillis / 3}: its 95th percentile is
 * {@code jitterMillis * ln(20) / 3}, within 0.2% of {@code jitterMillis}, and its tail is heavier
 * than a uniform one's (99th percentile 1.5 times, the largest of 500 about 2 times {@code
 * jitterMillis}), as on Wi-Fi and mobile links. Delays are independent, so at 20 ms and more the
 * jitter alone reorders packets.
 *
 * <p><b>Reordering.</b> On top of that, each delivered packet with the condition's probability is
 * held until 1 ms after the next delivered packet arrives, so it always comes after its successor.
 *
 * <p>Packet 0 is never lost, delayed or held: it starts both receivers' clocks on the same,
 * minimal, schedule. Not thread-safe; deterministic for a seed.
 */
public final class NetworkTrace {

  /** How packets are lost. */
  public enum LossModel {
    /** Independent losses. */
    RANDOM,
    /** Gilbert-Elliott bursts of {@value NetworkTrace#MEAN_BURST} packets on average. */
    BURSTY
  }

  /**
   * One network condition.
   *
   * @param lossModel how packets are lost
   * @param lossPercent the long-run share of packets lost, 0 to 50
   * @param jitterMillis the 95th percentile of the per-packet extra delay (exponential), 0 up
   * @param reorderPercent the share of packets held until after their successor
   */
  public record Condition(
      LossModel lossModel, int lossPercent, int jitterMillis, int reorderPercent) {
    /** Checks the ranges. */
    public Condition {
      if (lossPercent < 0 || lossPercent > 50) {
        throw new IllegalArgumentException("lossPercent must be 0..50: " + lossPercent);
      }
      if (jitterMillis < 0 || reorderPercent < 0 || reorderPercent > 50) {
        throw new IllegalArgumentException("bad jitter or reordering: " + this);
      }
    }

    /** A short label for tables, e.g. {@code bursty 10% 60ms}. */
    public String label() {
      return String.format(
          "%-6s %2d%% %2dms", lossModel.name().toLowerCase(), lossPercent, jitterMillis);
    }
  }

  /** Mean length of a loss burst in the bursty model, in packets. */
  public static final int MEAN_BURST = 3;

  /** The packet interval: 20 ms. */
  public static final long PACKET_NANOS = 20_000_000L;

  private final Condition condition;
  private final long[] sendNanos;
  private final long[] arrivalNanos; // -1: lost
  private final Integer[] arrivalOrder;

  private NetworkTrace(Condition condition, long[] sendNanos, long[] arrivalNanos) {
    this.condition = condition;
    this.sendNanos = sendNanos;
    this.arrivalNanos = arrivalNanos;
    Integer[] order = new Integer[sendNanos.length];
    int n = 0;
    for (int i = 0; i < sendNanos.length; i++) {
      if (arrivalNanos[i] >= 0) {
        order[n++] = i;
      }
    }
    order = Arrays.copyOf(order, n);
    Arrays.sort(
        order,
        (a, b) ->
            arrivalNanos[a] != arrivalNanos[b]
                ? Long.compare(arrivalNanos[a], arrivalNanos[b])
                : Integer.compare(a, b));
    this.arrivalOrder = order;
  }

  /**
   * The fate of {@code packets} packets sent every 20 ms from {@code startNanos} under {@code
   * condition}.
   */
  public static NetworkTrace generate(
      Condition condition, int packets, long startNanos, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] send = new long[packets];
    long[] arrival = new long[packets];
    double p = condition.lossPercent() / 100.0;
    double leaveBad = 1.0 / MEAN_BURST;
    double enterBad = p >= 1 ? 1 : p * leaveBad / (1 - p); // stationary P(bad) = p
    boolean bad = false;
    double meanJitterNanos = condition.jitterMillis() * 1e6 / 3;
    for (int i = 0; i < packets; i++) {
      send[i] = startNanos + i * PACKET_NANOS;
      boolean lost;
      if (condition.lossModel() == LossModel.RANDOM) {
        lost = random.nextDouble() < p;
      } else {
        bad = bad ? random.nextDouble() >= leaveBad : random.nextDouble() < enterBad;
        lost = bad;
      }
      double u = random.nextDouble();
      long jitter = meanJitterNanos == 0 ? 0 : (long) (-meanJitterNanos * Math.log(1 - u));
      arrival[i] = i == 0 ? send[i] : lost ? -1 : send[i] + jitter;
    }
    // Reordering, from the arrivals before any hold: a held packet comes just after the next
    // delivered one.
    long[] base = arrival.clone();
    double r = condition.reorderPercent() / 100.0;
    for (int i = 1; i < packets; i++) {
      boolean hold = random.nextDouble() < r;
      if (!hold || base[i] < 0) {
        continue;
      }
      for (int j = i + 1; j < packets; j++) {
        if (base[j] >= 0) {
          arrival[i] = Math.max(base[i], base[j]) + 1_000_000L;
          break;
        }
      }
    }
    return new NetworkTrace(condition, send, arrival);
  }

  /** The condition this trace was drawn under. */
  public Condition condition() {
    return condition;
  }

  /** Packets sent. */
  public int packets() {
    return sendNanos.length;
  }

  /** When packet {@code i} was sent (its first sample's time). */
  public long sendNanos(int i) {
    return sendNanos[i];
  }

  /** When packet {@code i} arrived, or -1 if it was lost. */
  public long arrivalNanos(int i) {
    return arrivalNanos[i];
  }

  /** Whether packet {@code i} was lost. */
  public boolean lost(int i) {
    return arrivalNanos[i] < 0;
  }

  /** Delivered packets' indices in the order they arrive. */
  public int[] arrivalOrder() {
    return Arrays.stream(arrivalOrder).mapToInt(Integer::intValue).toArray();
  }

  /** Whether packet {@code i} is an isolated single loss: lost, and both neighbours delivered. */
  public boolean isolatedLoss(int i) {
    return i > 0 && i + 1 < packets() && lost(i) && !lost(i - 1) && !lost(i + 1);
  }

  /** Packets lost by the network. */
  public int lostCount() {
    int n = 0;
    for (long a : arrivalNanos) {
      n += a < 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * The 95th percentile (nearest rank: the {@code ceil(0.95 n)}-th smallest) of the extra delay,
   * arrival minus send time, over the delivered packets, reordering holds included: the jitter the
   * network actually added in this trace.
   */
  public double extraDelayP95Millis() {
    long[] d =
        Arrays.stream(arrivalOrder)
            .mapToLong(i -> arrivalNanos[i] - sendNanos[i])
            .sorted()
            .toArray();
    int rank = (int) Math.ceil(0.95 * d.length);
    return d[Math.max(0, rank - 1)] / 1e6;
  }
}
