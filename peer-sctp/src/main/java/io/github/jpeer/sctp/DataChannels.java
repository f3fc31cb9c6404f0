package io.github.jpeer.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data channel layer of an association (RFC 8831, DCEP RFC 8832): the channel table keyed by
 * stream id, stream id parity by DTLS role (RFC 8832 section 6), the DCEP handshake
 * (DATA_CHANNEL_OPEN and ACK, sections 5 and 6), the PPIDs of user messages and of empty ones (RFC
 * 8831 section 8), the ordered-until-acked rule (RFC 8832 section 6.6), each channel's
 * bufferedAmount and its low threshold (W3C), and the two-sided close by stream reset (RFC 8831
 * section 6.7).
 *
 * <p>It decides nothing about the association: the association tells it when the association is up
 * and which resets completed, and sends what it {@link Outbox#enqueue enqueues}. Events go to the
 * association's event queue, in the order they happen.
 *
 * <p>Not thread-safe: the association's thread owns it.
 */
final class DataChannels {
  /** Where outgoing messages go: the association's send queue. */
  @FunctionalInterface
  interface Outbox {
    /**
     * Queues one message on {@code ch}.
     *
     * @param userBytes the bytes that count towards bufferedAmount (0 for DCEP)
     * @param counted true for a user message (partial reliability applies), false for DCEP
     */
    void enqueue(
        Channel ch, int ppid, byte[] payload, boolean unordered, int userBytes, boolean counted);
  }

  private final SctpConfig config;
  private final boolean dtlsClient;
  private final ArrayDeque<SctpEvent> events;
  private final Outbox outbox;
  private final Map<Integer, Channel> channels = new LinkedHashMap<>();

  // counters
  private long messagesReceived;
  private long droppedMessages;
  private long malformedDcep;
  private long unexpectedDcep;

  /**
   * An empty table.
   *
   * @param dtlsClient true if our channels take even stream ids
   * @param events the association's event queue
   */
  DataChannels(SctpConfig config, boolean dtlsClient, ArrayDeque<SctpEvent> events, Outbox outbox) {
    this.config = config;
    this.dtlsClient = dtlsClient;
    this.events = events;
    this.outbox = outbox;
  }

  /**
   * Adds a local channel: a negotiated one on its configured id, a DCEP one on the lowest free id
   * of our parity. It is not announced yet.
   *
   * @param outboundStreams the streams the peer accepts, or 0 before the handshake
   */
  Channel open(DataChannelConfig channelConfig, int outboundStreams) {
    int id;
    if (channelConfig.negotiated()) {
      id = channelConfig.id();
      if (id >= config.streams()) {
        throw new IllegalArgumentException(
            "negotiated id " + id + " is beyond the " + config.streams() + " configured streams");
      }
      if (channels.containsKey(id)) {
        throw new IllegalArgumentException("stream id " + id + " is already in use");
      }
    } else {
      id = dtlsClient ? 0 : 1;
      while (channels.containsKey(id)) {
        id += 2;
      }
      if (id >= config.streams() || (outboundStreams > 0 && id >= outboundStreams)) {
        throw new IllegalStateException("no free stream id left; close a channel first");
      }
    }
    Channel ch = new Channel(id, channelConfig, false);
    channels.put(id, ch);
    return ch;
  }

  /** The channel on {@code streamId}, or null. */
  Channel get(int streamId) {
    return channels.get(streamId);
  }

  /** Bytes queued on {@code streamId} and not yet sent the first time; 0 if no such channel. */
  long bufferedAmount(int streamId) {
    Channel ch = channels.get(streamId);
    return ch == null ? 0 : ch.bufferedBytes;
  }

  /** Sets the threshold at or below which BufferedAmountLow fires. */
  void setBufferedAmountLowThreshold(int streamId, long bytes) {
    Channel ch = channels.get(streamId);
    if (ch == null) {
      throw new IllegalArgumentException("no channel " + streamId);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("threshold must be >= 0, got " + bytes);
    }
    ch.lowThreshold = bytes;
  }

  /** The stream ids in use, as a copy. */
  List<Integer> ids() {
    return new ArrayList<>(channels.keySet());
  }

  /**
   * The association is up: a channel on a stream the peer cannot take is closed, every other one
   * announced (DATA_CHANNEL_OPEN unless negotiated).
   */
  void onEstablished(int outboundStreams, int inboundStreams) {
    for (Channel ch : new ArrayList<>(channels.values())) {
      if (ch.id >= outboundStreams || ch.id >= inboundStreams) {
        channels.remove(ch.id);
        events.add(new SctpEvent.ChannelClosed(ch.id));
      } else {
        announce(ch);
      }
    }
  }

  /** Sends DATA_CHANNEL_OPEN unless negotiated (RFC 8832 section 6); the channel is usable. */
  void announce(Channel ch) {
    if (!ch.config.negotiated()) {
      DcepMessage.Open open =
          new DcepMessage.Open(
              ch.type,
              ch.config.priority(),
              ch.config.reliabilityParameter(),
              ch.config.label(),
              ch.config.protocol());
      outbox.enqueue(ch, SctpAssociation.PPID_DCEP, open.encode(), false, 0, false);
    }
    ch.announced = true;
    events.add(new SctpEvent.ChannelOpen(ch.info(), false));
  }

  /**
   * Queues a user message, with PPID 51/53, or 56/57 and one zero byte if empty (RFC 8831 section
   * 8).
   */
  void send(Channel ch, byte[] message, int off, int len, boolean binary) {
    byte[] payload;
    int ppid;
    if (len == 0) {
      payload = new byte[1];
      ppid = binary ? SctpAssociation.PPID_BINARY_EMPTY : SctpAssociation.PPID_STRING_EMPTY;
    } else {
      payload = Arrays.copyOfRange(message, off, off + len);
      ppid = binary ? SctpAssociation.PPID_BINARY : SctpAssociation.PPID_STRING;
    }
    // RFC 8832 6.6: until DATA_CHANNEL_ACK arrives, send ordered so data cannot pass the OPEN
    boolean unordered = ch.type.unordered() && ch.ackReceived;
    outbox.enqueue(ch, ppid, payload, unordered, len, true);
  }

  /**
   * Starts closing {@code streamId}. If {@code viaReset} the stream is to be reset on the wire and
   * this returns true; otherwise the channel closes at once.
   *
   * @return true if the caller must reset our outgoing stream
   */
  boolean startClosing(int streamId, boolean viaReset) {
    Channel ch = channels.get(streamId);
    if (ch == null || ch.closing) {
      return false;
    }
    ch.closing = true;
    if (!viaReset) {
      channels.remove(streamId);
      events.add(new SctpEvent.ChannelClosed(streamId));
      return false;
    }
    return true;
  }

  /**
   * The peer reset its outgoing stream {@code streamId} (RFC 8831 6.7).
   *
   * @return true if the caller must now reset ours in turn
   */
  boolean onRemoteReset(int streamId) {
    Channel ch = channels.get(streamId);
    if (ch == null) {
      return false;
    }
    ch.inReset = true;
    boolean resetOurs = !ch.closing;
    ch.closing = true;
    maybeFinishClose(ch);
    return resetOurs;
  }

  /** Our reset of {@code streamId}'s outgoing stream was answered; our SSNs restart at 0. */
  void onLocalReset(int streamId) {
    Channel ch = channels.get(streamId);
    if (ch != null) {
      ch.outReset = true;
      ch.nextSsn = 0;
      maybeFinishClose(ch);
    }
  }

  /** The association ended: every announced channel closes. */
  void closeAll() {
    for (Integer id : channels.keySet()) {
      if (channels.get(id).announced) {
        events.add(new SctpEvent.ChannelClosed(id));
      }
    }
    channels.clear();
  }

  /**
   * {@code bytes} of {@code ch}'s bufferedAmount went out the first time; fires BufferedAmountLow
   * when that crosses the threshold of a channel still open.
   */
  void release(Channel ch, long bytes) {
    long before = ch.bufferedBytes;
    ch.bufferedBytes -= bytes;
    if (before > ch.lowThreshold
        && ch.bufferedBytes <= ch.lowThreshold
        && channels.get(ch.id) == ch) {
      events.add(new SctpEvent.BufferedAmountLow(ch.id, ch.bufferedBytes));
    }
  }

  /**
   * A complete message from the reassembly queue: DCEP, or user data by PPID for its channel.
   *
   * @param acceptOpen false unless the association is ESTABLISHED (a DATA_CHANNEL_OPEN is refused
   *     while shutting down)
   */
  void deliver(int streamId, int ppid, byte[] data, boolean acceptOpen) {
    if (ppid == SctpAssociation.PPID_DCEP) {
      onDcep(streamId, data, acceptOpen);
      return;
    }
    Channel ch = channels.get(streamId);
    if (ch == null || !ch.announced) {
      droppedMessages++;
      return;
    }
    switch (ppid) {
      case SctpAssociation.PPID_STRING -> events.add(new SctpEvent.Message(streamId, data, false));
      case SctpAssociation.PPID_BINARY -> events.add(new SctpEvent.Message(streamId, data, true));
      case SctpAssociation.PPID_STRING_EMPTY ->
          events.add(new SctpEvent.Message(streamId, new byte[0], false));
      case SctpAssociation.PPID_BINARY_EMPTY ->
          events.add(new SctpEvent.Message(streamId, new byte[0], true));
      default -> {
        // 52/54 (deprecated partial messages, RFC 8831 8) and unknown PPIDs are refused
        droppedMessages++;
        return;
      }
    }
    messagesReceived++;
  }

  private void onDcep(int streamId, byte[] data, boolean acceptOpen) {
    DcepMessage msg;
    try {
      msg = DcepMessage.parse(data, 0, data.length);
    } catch (SctpParseException e) {
      malformedDcep++;
      return;
    }
    Channel existing = channels.get(streamId);
    if (msg instanceof DcepMessage.Open open) {
      boolean peerParity = (streamId & 1) == (dtlsClient ? 1 : 0);
      if (existing != null || !peerParity || !acceptOpen) {
        // RFC 8832 6: the opener uses its own parity; a clash or wrong parity is refused
        unexpectedDcep++;
        return;
      }
      // the reliability parameter is unsigned on the wire; beyond 2^31 means "practically none"
      int rp = open.reliabilityParameter() < 0 ? Integer.MAX_VALUE : open.reliabilityParameter();
      DataChannelConfig cfg =
          new DataChannelConfig(
              open.label(),
              open.protocol(),
              !open.channelType().unordered(),
              open.channelType().byRetransmits() ? rp : -1,
              open.channelType().byLifetime() ? rp : -1,
              open.priority(),
              false,
              -1);
      Channel ch = new Channel(streamId, cfg, true);
      ch.ackReceived = true;
      ch.announced = true;
      channels.put(streamId, ch);
      outbox.enqueue(
          ch, SctpAssociation.PPID_DCEP, new DcepMessage.Ack().encode(), false, 0, false);
      events.add(new SctpEvent.ChannelOpen(ch.info(), true));
    } else if (existing != null && !existing.remote && !existing.config.negotiated()) {
      existing.ackReceived = true;
    } else {
      unexpectedDcep++;
    }
  }

  private void maybeFinishClose(Channel ch) {
    if (ch.outReset && ch.inReset && channels.remove(ch.id) != null) {
      events.add(new SctpEvent.ChannelClosed(ch.id));
    }
  }

  /** Messages delivered to the application. */
  long messagesReceived() {
    return messagesReceived;
  }

  /** Messages dropped here: no open channel, or a refused PPID. */
  long droppedMessages() {
    return droppedMessages;
  }

  /** DCEP messages that did not parse. */
  long malformedDcep() {
    return malformedDcep;
  }

  /** DCEP messages refused: an OPEN clashing or of the wrong parity, an ACK for nothing. */
  long unexpectedDcep() {
    return unexpectedDcep;
  }

  /** Per-channel state. */
  static final class Channel {
    final int id;
    final DataChannelConfig config;
    final ChannelType type;
    final boolean remote;
    boolean announced;
    boolean ackReceived;
    boolean closing;
    boolean outReset;
    boolean inReset;
    int nextSsn;
    long bufferedBytes;
    long lowThreshold;

    Channel(int id, DataChannelConfig config, boolean remote) {
      this.id = id;
      this.config = config;
      this.type = config.channelType();
      this.remote = remote;
      this.ackReceived = config.negotiated();
    }

    ChannelInfo info() {
      return new ChannelInfo(
          id,
          config.label(),
          config.protocol(),
          type,
          config.reliabilityParameter(),
          config.priority(),
          config.negotiated());
    }
  }
}
