package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Garbage datagrams thrown at a connected PeerConnection through the public API (RFC 7983
 * demultiplexing ranges: STUN 0-3, DTLS 20-63, RTP/RTCP 128-191, and the rest). The test thread
 * drives both connections' {@code loop()} itself, so anything thrown out of it fails the test.
 * Afterwards the connection is still COMPLETED, audio still flows, and {@code getStats().dropped()}
 * counted each datagram under its reason.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedInputTest {
  private static final int EACH = 40;

  private final SplittableRandom random = new SplittableRandom(7983);
  private TestPeer a;
  private TestPeer b;
  private DatagramChannel attacker;
  private InetSocketAddress target;
  private int framesSent;

  @BeforeEach
  void connect() throws Exception {
    a = TestPeer.loopback("a", c -> c.audioCodec(MediaCodec.OPUS));
    b = TestPeer.loopback("b", c -> c.audioCodec(MediaCodec.OPUS));
    String offer = a.pc.createOffer();
    b.pc.setRemoteDescription(offer, SdpType.OFFER);
    a.pc.setRemoteDescription(b.pc.createAnswer(), SdpType.ANSWER);
    drive(() -> a.completed.isDone() && b.completed.isDone(), "both sides COMPLETED");
    attacker = DatagramChannel.open();
    attacker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    target = a.pc.localAddresses().get(0);
    audioStillFlows();
  }

  @AfterEach
  void close() throws Exception {
    a.pc.close();
    b.pc.close();
    if (attacker != null) {
      attacker.close();
    }
  }

  /** Runs both loops on this thread until {@code done} (bounded). */
  private void drive(BooleanSupplier done, String what) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      a.pc.loop(); // must never throw for network input
      b.pc.loop();
      never.await(1, TimeUnit.MILLISECONDS);
    }
    assertTrue(done.getAsBoolean(), "timed out waiting for " + what);
  }

  /** Sends 5 audio frames each way and checks they arrive intact. */
  private void audioStillFlows() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      int n = framesSent++;
      assertTrue(a.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, n, 0)));
      assertTrue(b.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, n, 1)));
      drive(() -> a.audio.size() == 1 && b.audio.size() == 1, "audio frame " + n);
      assertArrayEquals(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, n, 0), b.audio.poll());
      assertArrayEquals(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, n, 1), a.audio.poll());
    }
    assertEquals(PeerConnectionState.COMPLETED, a.pc.getState());
    assertEquals(PeerConnectionState.COMPLETED, b.pc.getState());
  }

  private byte[] randomBytes(int firstMin, int firstMax, int minLength, int maxLength) {
    byte[] d = new byte[random.nextInt(minLength, maxLength + 1)];
    random.nextBytes(d);
    d[0] = (byte) random.nextInt(firstMin, firstMax + 1);
    return d;
  }

  private void send(byte[] datagram) throws Exception {
    attacker.send(ByteBuffer.wrap(datagram), target);
  }

  private long count(String reason) {
    return a.pc.getStats().dropped().getOrDefault(reason, 0L);
  }

  /** Sends {@code n} datagrams and waits until {@code reason} grew by exactly {@code n}. */
  private void expectDropped(String reason, int n, ThrowingSupplier datagrams) throws Exception {
    long before = count(reason);
    long receivedBefore = a.pc.getStats().datagramsReceived();
    for (int i = 0; i < n; i++) {
      send(datagrams.get());
    }
    drive(() -> a.pc.getStats().datagramsReceived() >= receivedBefore + n, n + " datagrams in");
    Map<String, Long> dropped = a.pc.getStats().dropped();
    assertEquals(before + n, count(reason), "dropped as " + reason + ": " + dropped);
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    byte[] get() throws Exception;
  }

  /** A STUN header (RFC 5389 6): type, length, magic cookie, transaction id. */
  private byte[] stunHeader(int type, int declaredLength, int totalLength) {
    byte[] d = new byte[totalLength];
    random.nextBytes(d);
    ByteBuffer.wrap(d).putShort((short) type).putShort((short) declaredLength).putInt(0x2112A442);
    return d;
  }

  /**
   * A Binding request (RFC 5389 15): USERNAME {@code user}, then MESSAGE-INTEGRITY with a random
   * (wrong) HMAC if {@code withIntegrity}, then a correct FINGERPRINT (15.5).
   */
  private byte[] bindingRequest(String user, boolean withIntegrity) {
    byte[] name = user.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int padded = (name.length + 3) & ~3;
    int length = 4 + padded + (withIntegrity ? 24 : 0) + 8;
    ByteBuffer b = ByteBuffer.allocate(20 + length);
    b.putShort((short) 0x0001).putShort((short) length).putInt(0x2112A442);
    byte[] transactionId = new byte[12];
    random.nextBytes(transactionId);
    b.put(transactionId);
    b.putShort((short) 0x0006).putShort((short) name.length).put(name);
    b.position(b.position() + padded - name.length);
    if (withIntegrity) {
      byte[] hmac = new byte[20];
      random.nextBytes(hmac);
      b.putShort((short) 0x0008).putShort((short) 20).put(hmac);
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b.array(), 0, b.position());
    b.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554e);
    return b.array();
  }

  private static String ufrag(String sdp) {
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("a=ice-ufrag:")) {
        return line.substring("a=ice-ufrag:".length());
      }
    }
    throw new AssertionError("no a=ice-ufrag in " + sdp);
  }

  @Test
  void forgedConnectivityChecksAreRefused() throws Exception {
    // A check for a username this connection never gave out.
    expectDropped("stun-unknown-ufrag", EACH, () -> bindingRequest("nobody:nothing", false));
    // A check with our real ufrag but a MESSAGE-INTEGRITY made without our password.
    String user = ufrag(a.pc.localDescription()) + ":" + ufrag(b.pc.localDescription());
    expectDropped("stun-bad-integrity", EACH, () -> bindingRequest(user, true));
    audioStillFlows();
  }

  @Test
  void garbageFromAnUnknownSourceIsCountedAndIgnored() throws Exception {
    // RFC 7983: 0..3 is STUN. Random bytes there are not STUN at all (no magic cookie).
    expectDropped("stun-malformed", EACH, () -> randomBytes(0, 3, 1, 200));
    // Truncated STUN: a Binding request header whose length runs past the datagram.
    expectDropped("stun-malformed", EACH, () -> stunHeader(0x0001, 80, 20 + random.nextInt(0, 60)));
    // STUN header cut inside the 20 bytes.
    expectDropped(
        "stun-malformed",
        EACH,
        () -> {
          byte[] h = stunHeader(0x0001, 0, 20);
          return java.util.Arrays.copyOf(h, random.nextInt(1, 20));
        });
    // DTLS, RTP and everything else from an address ICE never paired: not ours.
    expectDropped("ice-unknown-source", EACH, () -> randomBytes(20, 63, 1, 300));
    expectDropped("ice-unknown-source", EACH, () -> randomBytes(128, 191, 1, 300));
    expectDropped("ice-unknown-source", EACH, () -> randomBytes(64, 127, 1, 300));
    expectDropped("ice-unknown-source", EACH, () -> randomBytes(192, 255, 1, 300));
    expectDropped("ice-unknown-source", EACH, () -> randomBytes(4, 19, 1, 300));
    audioStillFlows();
  }

  /** An RTP header (RFC 3550 5.1) for Opus, random payload, and a bogus 10-byte SRTP tag. */
  private byte[] forgedSrtp() {
    byte[] d = new byte[12 + random.nextInt(1, 200) + 10];
    random.nextBytes(d);
    d[0] = (byte) 0x80;
    d[1] = (byte) (random.nextBoolean() ? 111 : 0x80 | 111); // with or without the marker
    return d;
  }

  /** An SRTCP receiver report (RFC 3711 3.4): header, E bit + index, and a bogus tag. */
  private byte[] forgedSrtcp() {
    byte[] d = new byte[8 + 4 + 10];
    random.nextBytes(d);
    d[0] = (byte) 0x80;
    d[1] = (byte) 201;
    d[2] = 0;
    d[3] = 1;
    return d;
  }

  /** A DTLS 1.2 application_data record (RFC 6347 4.1) of random ciphertext. */
  private byte[] forgedDtlsRecord() {
    int length = random.nextInt(16, 200);
    byte[] d = new byte[13 + length];
    random.nextBytes(d);
    ByteBuffer.wrap(d).put((byte) 23).putShort((short) 0xfefd).putShort((short) 1);
    ByteBuffer.wrap(d, 11, 2).putShort((short) length);
    return d;
  }

  private long dtlsDrops() {
    return count("dtls-malformed") + count("dtls-forged-record") + count("dtls-rejected-record");
  }

  @Test
  void garbageFromAPairedAddressReachesEachParserAndIsDropped() throws Exception {
    // Make the attacker a remote candidate of a's, so ICE forms a pair with it and hands its
    // datagrams on to DTLS/SRTP as it does for the real peer.
    InetSocketAddress from = (InetSocketAddress) attacker.getLocalAddress();
    a.pc.addIceCandidate(
        "candidate:1 1 udp 2130706431 "
            + from.getAddress().getHostAddress()
            + " "
            + from.getPort()
            + " typ host");
    expectDropped("srtp-auth", EACH, this::forgedSrtp);
    expectDropped("srtp-auth", EACH, this::forgedSrtcp);
    expectDropped("not-rfc7983", EACH, () -> randomBytes(64, 127, 1, 300));
    expectDropped("not-rfc7983", EACH, () -> randomBytes(192, 255, 1, 300));
    expectDropped("not-rfc7983", EACH, () -> randomBytes(4, 19, 1, 300));
    // A well-formed epoch-1 record that fails authentication: caught by its GCM tag.
    expectDropped("dtls-forged-record", EACH, this::forgedDtlsRecord);
    long dtlsBefore = dtlsDrops();
    for (int i = 0; i < EACH; i++) {
      send(randomBytes(20, 63, 1, 300)); // random bytes in the DTLS range
    }
    drive(
        () -> dtlsDrops() >= dtlsBefore + EACH,
        "the DTLS garbage to be counted: " + a.pc.getStats().dropped());
    // Truncated RTP: shorter than its 12-byte header plus a tag.
    expectDropped("srtp-auth", EACH, () -> randomBytes(128, 128 + 63, 1, 21));
    audioStillFlows();
    assertEquals(PeerConnectionState.COMPLETED, a.pc.getState(), a.pc.getStats().toString());
  }
}
