package io.github.jpeer.stun;

import static io.github.jpeer.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StunMessageTest {

  private static final byte[] KEY = StunCredentials.shortTermKey("pass-word-0123456789ab");
  private static final TransactionId TX = TransactionId.random(new SplittableRandom(42));

  private static InetSocketAddress v4(int a, int b, int c, int d, int port) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
  }

  private static InetSocketAddress v6(String hex, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByAddress(hex(hex)), port);
  }

  private static StunMessage roundTrip(StunMessage.Builder b) {
    byte[] bytes = b.encode();
    assertTrue(StunMessage.isStun(bytes, 0, bytes.length));
    StunMessage m = StunMessage.decode(bytes);
    assertEquals(b.build(), m);
    assertArrayEquals(bytes, m.toBytes());
    return m;
  }

  @Test
  void everyClassAndMethodRoundTrips() {
    for (StunClass c : StunClass.values()) {
      for (StunMethod method : StunMethod.values()) {
        StunMessage m = roundTrip(StunMessage.builder(c, method, TX));
        assertEquals(c, m.messageClass());
        assertEquals(method, m.method());
        assertEquals(TX, m.transactionId());
        assertEquals(StunMessage.HEADER_LENGTH, m.length());
      }
    }
    // The largest method code keeps every bit through the class-bit interleaving.
    StunMessage odd = roundTrip(StunMessage.builder(StunClass.ERROR_RESPONSE, 0xFFF, TX));
    assertEquals(0xFFF, odd.methodCode());
    assertNull(odd.method());
    assertEquals(StunClass.ERROR_RESPONSE, odd.messageClass());
  }

  @Test
  void messageTypeMatchesRfcExamples() {
    // RFC 8489 section 5: Binding request 0x0001, success 0x0101, error 0x0111, indication 0x0011.
    assertEquals(0x0001, typeOf(StunClass.REQUEST, StunMethod.BINDING));
    assertEquals(0x0101, typeOf(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING));
    assertEquals(0x0111, typeOf(StunClass.ERROR_RESPONSE, StunMethod.BINDING));
    assertEquals(0x0011, typeOf(StunClass.INDICATION, StunMethod.BINDING));
    // RFC 8656: Send indication 0x0016, Data indication 0x0017, Allocate request 0x0003.
    assertEquals(0x0016, typeOf(StunClass.INDICATION, StunMethod.SEND));
    assertEquals(0x0017, typeOf(StunClass.INDICATION, StunMethod.DATA));
    assertEquals(0x0003, typeOf(StunClass.REQUEST, StunMethod.ALLOCATE));
  }

  private static int typeOf(StunClass c, StunMethod m) {
    byte[] b = StunMessage.builder(c, m, TX).encode();
    return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
  }

  @Test
  void addressAttributesRoundTripIpv4AndIpv6() throws Exception {
    InetSocketAddress[] addresses = {
      v4(192, 0, 2, 1, 32853),
      v4(255, 255, 255, 255, 65535),
      v4(0, 0, 0, 0, 0),
      v6("20010db8123456780011223344556677", 1),
      v6("fe800000000000000000000000000001", 65535),
    };
    for (InetSocketAddress a : addresses) {
      StunMessage m =
          roundTrip(
              StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE, TX)
                  .mappedAddress(a)
                  .xorMappedAddress(a)
                  .xorPeerAddress(a)
                  .xorRelayedAddress(a));
      assertEquals(a, m.mappedAddress());
      assertEquals(a, m.xorMappedAddress());
      assertEquals(a, m.xorPeerAddress());
      assertEquals(a, m.xorRelayedAddress());
    }
  }

  @Test
  void ipv4MappedIpv6AddressKeepsItsFamily() throws Exception {
    byte[] mapped = hex("00000000000000000000ffffc0000201");
    InetSocketAddress a = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 5000);
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING, TX)
                .xorMappedAddress(a));
    assertInstanceOf(Inet6Address.class, m.xorMappedAddress().getAddress());
    assertArrayEquals(mapped, m.xorMappedAddress().getAddress().getAddress());
  }

  @Test
  void severalPeerAddressesAreKeptInOrder() throws Exception {
    List<InetSocketAddress> peers =
        List.of(v4(10, 0, 0, 1, 1000), v6("20010db8000000000000000000000002", 2000));
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.REQUEST, StunMethod.CREATE_PERMISSION, TX)
                .xorPeerAddress(peers.get(0))
                .xorPeerAddress(peers.get(1)));
    assertEquals(peers, m.xorPeerAddresses());
    assertEquals(peers.get(0), m.xorPeerAddress());
  }

  @Test
  void textAttributesRoundTrip() {
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.REQUEST, StunMethod.ALLOCATE, TX)
                .username("user\u00e9:x")
                .realm("example.org")
                .nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
                .software("jpeer 0.1"));
    assertEquals("user\u00e9:x", m.username());
    assertEquals("example.org", m.realm());
    assertEquals("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA", m.nonce());
    assertEquals("jpeer 0.1", m.software());
  }

  @Test
  void errorCodeAndUnknownAttributesRoundTrip() {
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.ERROR_RESPONSE, StunMethod.BINDING, TX)
                .errorCode(new ErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute"))
                .unknownAttributes(0x0031, 0x7FFF, 0x0002));
    assertEquals(new ErrorCode(420, "Unknown Attribute"), m.errorCode());
    assertEquals(4, m.errorCode().errorClass());
    assertEquals(20, m.errorCode().number());
    assertArrayEquals(new int[] {0x0031, 0x7FFF, 0x0002}, m.unknownAttributes());
    for (int code : new int[] {300, 399, 401, 438, 487, 500, 699}) {
      StunMessage e =
          roundTrip(
              StunMessage.builder(StunClass.ERROR_RESPONSE, StunMethod.REFRESH, TX)
                  .errorCode(new ErrorCode(code, "")));
      assertEquals(code, e.errorCode().code());
      assertEquals("", e.errorCode().reason());
    }
  }

  @Test
  void turnAttributesRoundTrip() {
    byte[] payload = {1, 2, 3, 4, 5};
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.REQUEST, StunMethod.CHANNEL_BIND, TX)
                .lifetimeSeconds(0xFFFF_FFFFL)
                .requestedTransport(17)
                .channelNumber(0x4FFF)
                .data(payload));
    assertEquals(0xFFFF_FFFFL, m.lifetimeSeconds().getAsLong());
    assertEquals(17, m.requestedTransport().getAsInt());
    assertEquals(0x4FFF, m.channelNumber().getAsInt());
    assertArrayEquals(payload, m.data());
    StunMessage empty =
        roundTrip(StunMessage.builder(StunClass.INDICATION, StunMethod.SEND, TX).data(new byte[0]));
    assertArrayEquals(new byte[0], empty.data());
  }

  @Test
  void iceAttributesRoundTrip() {
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX)
                .priority(0xFFFF_FFFFL)
                .useCandidate()
                .iceControlling(-1L)
                .iceControlled(0x8000_0000_0000_0001L));
    assertEquals(0xFFFF_FFFFL, m.priority().getAsLong());
    assertTrue(m.useCandidate());
    assertEquals(-1L, m.iceControlling().getAsLong());
    assertEquals(0x8000_0000_0000_0001L, m.iceControlled().getAsLong());
  }

  @Test
  void absentAttributesAreNullOrEmpty() {
    StunMessage m = StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX).build();
    assertNull(m.mappedAddress());
    assertNull(m.xorMappedAddress());
    assertNull(m.xorPeerAddress());
    assertTrue(m.xorPeerAddresses().isEmpty());
    assertNull(m.xorRelayedAddress());
    assertNull(m.username());
    assertNull(m.realm());
    assertNull(m.nonce());
    assertNull(m.software());
    assertNull(m.errorCode());
    assertNull(m.unknownAttributes());
    assertNull(m.data());
    assertNull(m.attribute(StunAttributeType.USERNAME));
    assertTrue(m.lifetimeSeconds().isEmpty());
    assertTrue(m.requestedTransport().isEmpty());
    assertTrue(m.channelNumber().isEmpty());
    assertTrue(m.priority().isEmpty());
    assertTrue(m.iceControlled().isEmpty());
    assertTrue(m.iceControlling().isEmpty());
    assertFalse(m.useCandidate());
    assertEquals(StunVerification.NO_INTEGRITY, m.verifyIntegrity(KEY));
    assertEquals(StunVerification.NO_FINGERPRINT, m.verifyFingerprint());
    assertEquals(StunVerification.NO_INTEGRITY, m.verify(KEY, false));
    assertEquals(StunVerification.NO_FINGERPRINT, m.verify(KEY, true));
  }

  @Test
  void unknownAttributesAreKeptAndComprehensionRequiredOnesReported() {
    StunMessage m =
        roundTrip(
            StunMessage.builder(StunClass.REQUEST, StunMethod.ALLOCATE, TX)
                .attribute(0x8055, new byte[] {9, 9, 9})
                .attribute(StunAttributeType.EVEN_PORT, new byte[] {(byte) 0x80})
                .attribute(0x7ABC, new byte[0])
                .priority(7));
    assertArrayEquals(
        new int[] {StunAttributeType.EVEN_PORT, 0x7ABC}, m.unknownComprehensionRequired());
    assertArrayEquals(new byte[] {9, 9, 9}, m.attribute(0x8055));
    assertEquals(
        List.of(
            new StunAttribute(0x8055, new byte[] {9, 9, 9}),
            new StunAttribute(StunAttributeType.EVEN_PORT, new byte[] {(byte) 0x80}),
            new StunAttribute(0x7ABC, new byte[0]),
            new StunAttribute(StunAttributeType.PRIORITY, new byte[] {0, 0, 0, 7})),
        m.attributes());
    assertEquals(7, m.priority().getAsLong());
  }

  @Test
  void integrityAttributesAreLastInFixedOrderAndVerify() {
    byte[] bytes =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX)
            .fingerprint()
            .messageIntegritySha256(KEY)
            .username("a:b")
            .messageIntegrity(KEY)
            .priority(1)
            .encode();
    StunMessage m = StunMessage.decode(bytes);
    List<StunAttribute> attributes = m.attributes();
    int n = attributes.size();
    assertEquals(StunAttributeType.MESSAGE_INTEGRITY, attributes.get(n - 3).type());
    assertEquals(StunAttributeType.MESSAGE_INTEGRITY_SHA256, attributes.get(n - 2).type());
    assertEquals(32, attributes.get(n - 2).value().length);
    assertEquals(StunAttributeType.FINGERPRINT, attributes.get(n - 1).type());
    assertEquals(StunVerification.OK, m.verify(KEY, true));
    assertEquals(StunVerification.BAD_INTEGRITY, m.verify(new byte[] {1}, true));
  }

  @Test
  void sha256IntegrityAloneVerifiesAndTruncatedValueIsChecked() {
    StunMessage m =
        StunMessage.builder(StunClass.REQUEST, StunMethod.REFRESH, TX)
            .lifetimeSeconds(600)
            .messageIntegritySha256(KEY)
            .build();
    assertFalse(m.hasMessageIntegrity());
    assertTrue(m.hasMessageIntegritySha256());
    assertEquals(StunVerification.OK, m.verifyIntegrity(KEY));

    // RFC 8489 section 14.6 allows a value truncated to 16 bytes: rebuild the message with the
    // first 16 bytes of the HMAC, which covers the header with the shorter length.
    byte[] full = m.toBytes();
    byte[] truncated = Arrays.copyOf(full, full.length - 16);
    truncated[3] -= 16;
    truncated[truncated.length - 17] = 16; // MESSAGE-INTEGRITY-SHA256 length field, low byte
    byte[] prefixMac =
        Integrity.hmac(
            Integrity.HMAC_SHA256, KEY, truncated, 0, truncated.length - 20, truncated.length - 20);
    System.arraycopy(prefixMac, 0, truncated, truncated.length - 16, 16);
    StunMessage t = StunMessage.decode(truncated);
    assertEquals(StunVerification.OK, t.verifyIntegrity(KEY));
    truncated[truncated.length - 1] ^= 1;
    assertEquals(
        StunVerification.BAD_INTEGRITY, StunMessage.decode(truncated).verifyIntegrity(KEY));
  }

  @Test
  void everyFlippedBitIsCaughtByFingerprintOrIntegrity() {
    byte[] good = SAMPLE_REQUEST.clone();
    byte[] key = StunCredentials.shortTermKey(SHORT_TERM_PASSWORD);
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        StunMessage m;
        try {
          m = StunMessage.decode(bad);
        } catch (StunParseException e) {
          continue; // the framing caught it
        }
        assertNotEquals(StunVerification.OK, m.verify(key, true), "byte " + i + " bit " + bit);
      }
    }
  }

  @Test
  void badFingerprintIsReportedBeforeIntegrity() {
    byte[] bad = SAMPLE_REQUEST.clone();
    bad[bad.length - 1] ^= 0x01;
    StunMessage m = StunMessage.decode(bad);
    assertEquals(StunVerification.BAD_FINGERPRINT, m.verifyFingerprint());
    assertEquals(StunVerification.BAD_FINGERPRINT, m.verify(new byte[] {1}, false));
    // The integrity itself is still good: FINGERPRINT is outside what it covers.
    assertEquals(
        StunVerification.OK, m.verifyIntegrity(StunCredentials.shortTermKey(SHORT_TERM_PASSWORD)));
  }

  @Test
  void attributesAfterIntegrityAreIgnoredButTheMacStillVerifies() {
    // RFC 8489 section 14.5: insert an attribute between MESSAGE-INTEGRITY and FINGERPRINT.
    byte[] base =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX)
            .username("a:b")
            .messageIntegrity(KEY)
            .encode();
    byte[] extra = hex("002400040000002a"); // PRIORITY 42
    byte[] joined = Arrays.copyOf(base, base.length + extra.length + 8);
    System.arraycopy(extra, 0, joined, base.length, extra.length);
    int fp = base.length + extra.length;
    int len = joined.length - StunMessage.HEADER_LENGTH;
    joined[2] = (byte) (len >>> 8);
    joined[3] = (byte) len;
    joined[fp] = (byte) 0x80;
    joined[fp + 1] = 0x28;
    joined[fp + 3] = 4;
    int crc = Integrity.fingerprint(joined, 0, fp);
    for (int i = 0; i < 4; i++) {
      joined[fp + 4 + i] = (byte) (crc >>> (24 - 8 * i));
    }
    StunMessage m = StunMessage.decode(joined);
    assertTrue(m.priority().isEmpty());
    assertEquals(3, m.attributes().size());
    assertEquals(StunVerification.OK, m.verify(KEY, true));
  }

  @Test
  void attributeAfterFingerprintIsRejected() {
    byte[] base =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX).fingerprint().encode();
    byte[] extra = hex("002400040000002a");
    byte[] joined = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, joined, base.length, extra.length);
    joined[3] += 8;
    StunParseException e = assertThrows(StunParseException.class, () -> StunMessage.decode(joined));
    assertEquals(base.length, e.offset());
  }

  @Test
  void everyTruncationOfEveryVectorIsRejected() {
    for (byte[] v :
        new byte[][] {
          SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE, SAMPLE_LONG_TERM_REQUEST
        }) {
      for (int len = 0; len < v.length; len++) {
        int n = len;
        assertFalse(StunMessage.isStun(v, 0, n));
        assertThrows(StunParseException.class, () -> StunMessage.decode(v, 0, n));
        // Also with the length field patched to match: the attribute walk must catch it.
        if (n >= StunMessage.HEADER_LENGTH) {
          byte[] patched = Arrays.copyOf(v, n);
          int body = n - StunMessage.HEADER_LENGTH;
          patched[2] = (byte) (body >>> 8);
          patched[3] = (byte) body;
          if ((body & 3) != 0) {
            assertThrows(StunParseException.class, () -> StunMessage.decode(patched));
          } else {
            // A cut at an attribute boundary is a valid (shorter) message, else rejected.
            try {
              StunMessage m = StunMessage.decode(patched);
              assertTrue(m.attributes().size() < StunMessage.decode(v).attributes().size());
            } catch (StunParseException expected) {
              // fine: cut inside an attribute
            }
          }
        }
      }
    }
  }

  @Test
  void malformedHeadersAreRejected() {
    byte[] good = StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX).encode();
    byte[] topBits = good.clone();
    topBits[0] |= (byte) 0x80;
    byte[] cookie = good.clone();
    cookie[4] = 0;
    byte[] oddLength = Arrays.copyOf(good, 22);
    oddLength[3] = 2;
    byte[] longer = Arrays.copyOf(good, 24);
    for (byte[] bad :
        new byte[][] {topBits, cookie, oddLength, longer, new byte[0], new byte[19]}) {
      assertFalse(StunMessage.isStun(bad, 0, bad.length));
      assertThrows(StunParseException.class, () -> StunMessage.decode(bad));
    }
  }

  @Test
  void malformedKnownAttributeValuesAreRejected() {
    String[] badAttributes = {
      "0020000700010000000000", // XOR-MAPPED-ADDRESS of 7 bytes (+ padding)
      "002000080003000000000000", // family 3
      "002000080002000000000000", // IPv6 family with IPv4 length
      "0001001400010000000000000000000000000000000000000000", // IPv4 family with IPv6 length
      "00090004000002000", // ERROR-CODE class 2 (odd hex fixed below)
      "000900040000046400", // ERROR-CODE number 100
      "000a000300010200", // UNKNOWN-ATTRIBUTES odd length
      "00240003000000ff", // PRIORITY of 3 bytes
      "0025000400000000", // USE-CANDIDATE not empty
      "802a000400000000", // ICE-CONTROLLING of 4 bytes
      "000d000800000000000000000", // LIFETIME of 8 bytes (odd hex fixed below)
      "0008001000000000000000000000000000000000", // MESSAGE-INTEGRITY of 16 bytes
      "001c000c000000000000000000000000", // MESSAGE-INTEGRITY-SHA256 of 12 bytes
      "80280008000000000000000000000000", // FINGERPRINT of 8 bytes
      "000c000200000000", // CHANNEL-NUMBER of 2 bytes
      "0019000500000000000000000000", // REQUESTED-TRANSPORT of 5 bytes (odd fixed below)
    };
    for (String attr : badAttributes) {
      String even = attr.length() % 2 == 0 ? attr : attr + "0";
      byte[] a = hex(even);
      byte[] value = Arrays.copyOf(a, (a.length + 3) & ~3);
      byte[] msg =
          Arrays.copyOf(
              StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX).encode(),
              20 + value.length);
      System.arraycopy(value, 0, msg, 20, value.length);
      msg[2] = (byte) (value.length >>> 8);
      msg[3] = (byte) value.length;
      assertThrows(StunParseException.class, () -> StunMessage.decode(msg), attr);
    }
  }

  @Test
  void attributeRunningPastTheEndIsRejected() {
    byte[] msg =
        Arrays.copyOf(StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX).encode(), 28);
    msg[3] = 8;
    System.arraycopy(hex("80550005"), 0, msg, 20, 4); // 5 bytes need 8 with padding; 4 remain
    StunParseException e = assertThrows(StunParseException.class, () -> StunMessage.decode(msg));
    assertEquals(20, e.offset());
  }

  @Test
  void byteBufferDecodeLeavesPositionAndLimitAlone() {
    ByteBuffer heap = ByteBuffer.allocate(200);
    heap.position(7);
    heap.put(SAMPLE_IPV4_RESPONSE);
    heap.flip().position(7);
    ByteBuffer direct = ByteBuffer.allocateDirect(SAMPLE_IPV4_RESPONSE.length);
    direct.put(SAMPLE_IPV4_RESPONSE).flip();
    for (ByteBuffer b : new ByteBuffer[] {heap, direct}) {
      int pos = b.position();
      int lim = b.limit();
      assertTrue(StunMessage.isStun(b));
      assertEquals(StunMessage.decode(SAMPLE_IPV4_RESPONSE), StunMessage.decode(b));
      assertEquals(pos, b.position());
      assertEquals(lim, b.limit());
    }
  }

  @Test
  void decodeCopiesSoTheCallerMayReuseTheBuffer() {
    byte[] buf = SAMPLE_REQUEST.clone();
    StunMessage m = StunMessage.decode(buf);
    Arrays.fill(buf, (byte) 0);
    assertEquals("evtj:h6vY", m.username());
    assertEquals(
        StunVerification.OK, m.verify(StunCredentials.shortTermKey(SHORT_TERM_PASSWORD), true));
  }

  @Test
  void encodeIntoCallerBuffers() {
    StunMessage.Builder b =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX)
            .username("x:y")
            .messageIntegrity(KEY)
            .fingerprint();
    byte[] expected = b.encode();
    byte[] dst = new byte[expected.length + 10];
    assertEquals(expected.length, b.encodeInto(dst, 5));
    assertArrayEquals(expected, Arrays.copyOfRange(dst, 5, 5 + expected.length));
    assertEquals(
        StunVerification.OK, StunMessage.decode(dst, 5, expected.length).verify(KEY, true));

    ByteBuffer heap = ByteBuffer.allocate(100).position(3);
    assertEquals(expected.length, b.encodeInto(heap));
    assertEquals(3 + expected.length, heap.position());
    ByteBuffer direct = ByteBuffer.allocateDirect(100);
    b.encodeInto(direct);
    direct.flip();
    assertEquals(StunMessage.decode(expected), StunMessage.decode(direct));

    assertThrows(
        IllegalArgumentException.class, () -> b.encodeInto(new byte[expected.length - 1], 0));
    assertThrows(IllegalArgumentException.class, () -> b.encodeInto(ByteBuffer.allocate(10)));
    StunMessage m = StunMessage.decode(expected);
    byte[] copy = new byte[m.length()];
    assertEquals(m.length(), m.writeTo(copy, 0));
    assertArrayEquals(expected, copy);
  }

  @Test
  void responseBuildersCopyMethodAndTransaction() {
    StunMessage request = StunMessage.decode(SAMPLE_REQUEST);
    StunMessage ok = request.successResponseBuilder().build();
    assertTrue(ok.is(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING));
    assertEquals(request.transactionId(), ok.transactionId());
    StunMessage err =
        request.errorResponseBuilder(ErrorCode.ROLE_CONFLICT, "Role Conflict").build();
    assertTrue(err.is(StunClass.ERROR_RESPONSE, StunMethod.BINDING));
    assertEquals(new ErrorCode(487, "Role Conflict"), err.errorCode());
  }

  @Test
  void builderRejectsMisuse() throws Exception {
    StunMessage.Builder b = StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX);
    assertThrows(
        IllegalArgumentException.class,
        () -> b.attribute(StunAttributeType.FINGERPRINT, new byte[4]));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.attribute(StunAttributeType.MESSAGE_INTEGRITY, new byte[20]));
    assertThrows(
        IllegalArgumentException.class, () -> b.attribute(StunAttributeType.PRIORITY, new byte[3]));
    assertThrows(IllegalArgumentException.class, () -> b.attribute(0x10000, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> b.channelNumber(0x5000));
    assertThrows(IllegalArgumentException.class, () -> b.channelNumber(0x3FFF));
    assertThrows(IllegalArgumentException.class, () -> b.priority(-1));
    assertThrows(IllegalArgumentException.class, () -> b.lifetimeSeconds(1L << 32));
    assertThrows(IllegalArgumentException.class, () -> b.requestedTransport(256));
    assertThrows(IllegalArgumentException.class, () -> b.messageIntegrity(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> b.username("u".repeat(509)));
    assertThrows(IllegalArgumentException.class, () -> b.realm("r".repeat(764)));
    assertThrows(IllegalArgumentException.class, () -> b.unknownAttributes(0x10000));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.xorMappedAddress(InetSocketAddress.createUnresolved("example.org", 3478)));
    assertThrows(IllegalArgumentException.class, () -> new ErrorCode(299, ""));
    assertThrows(
        IllegalArgumentException.class, () -> StunMessage.builder(StunClass.REQUEST, 0x1000, TX));
    assertThrows(IllegalArgumentException.class, () -> TransactionId.of(new byte[11]));
    StunMessage.Builder big = StunMessage.builder(StunClass.INDICATION, StunMethod.SEND, TX);
    big.data(new byte[0xFFFF]);
    assertThrows(IllegalArgumentException.class, big::encode);
  }

  @Test
  void credentialsFollowOpaqueString() {
    assertArrayEquals(
        "VOkJxbRl1RmTxUk/WvJxBt".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt"));
    // U+00A0 (no-break space) maps to U+0020; "e" + U+0301 composes to U+00E9.
    assertArrayEquals(
        StunCredentials.shortTermKey("a b\u00e9"), StunCredentials.shortTermKey("a\u00a0be\u0301"));
    assertThrows(IllegalArgumentException.class, () -> StunCredentials.shortTermKey(""));
    assertThrows(IllegalArgumentException.class, () -> StunCredentials.shortTermKey("a\tb"));
    assertEquals(16, StunCredentials.longTermKey("u", "r", "p").length);
  }

  @Test
  void transactionIdBytesRoundTrip() {
    byte[] raw = hex("b7e7a701bc34d686fa87dfae");
    TransactionId id = TransactionId.of(raw);
    assertArrayEquals(raw, id.toBytes());
    assertEquals("b7e7a701bc34d686fa87dfae", id.toString());
    assertEquals(id, TransactionId.read(SAMPLE_REQUEST, 8));
    assertEquals(
        TransactionId.random(new SplittableRandom(7)),
        TransactionId.random(new SplittableRandom(7)));
  }

  @Test
  void toStringShowsNoValues() {
    String s = StunMessage.decode(SAMPLE_REQUEST).toString();
    assertTrue(s.contains("USERNAME(9)"), s);
    assertFalse(s.contains("evtj"), s);
  }
}
