package io.github.jpeer.stun;

import static io.github.jpeer.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test vectors of RFC 5769: decode, verify, and re-encode byte for byte. */
class Rfc5769Test {

  private static final byte[] SHORT_TERM_KEY = StunCredentials.shortTermKey(SHORT_TERM_PASSWORD);
  private static final TransactionId TX = TransactionId.of(hex("b7e7a701bc34d686fa87dfae"));

  // RFC 5769 section 2.1
  @Test
  void sampleRequestDecodes() {
    StunMessage m = StunMessage.decode(SAMPLE_REQUEST);
    assertTrue(m.is(StunClass.REQUEST, StunMethod.BINDING));
    assertEquals(TX, m.transactionId());
    assertEquals("STUN test client", m.software());
    assertEquals(0x6e0001ffL, m.priority().getAsLong());
    assertEquals(0x932ff9b151263b36L, m.iceControlled().getAsLong());
    assertTrue(m.iceControlling().isEmpty());
    assertEquals("evtj:h6vY", m.username());
    assertTrue(m.hasMessageIntegrity());
    assertFalse(m.hasMessageIntegritySha256());
    assertTrue(m.hasFingerprint());
    assertEquals(0, m.unknownComprehensionRequired().length);
    assertEquals(6, m.attributes().size());
  }

  // RFC 5769 section 2.1
  @Test
  void sampleRequestVerifies() {
    StunMessage m = StunMessage.decode(SAMPLE_REQUEST);
    assertEquals(StunVerification.OK, m.verifyFingerprint());
    assertEquals(StunVerification.OK, m.verifyIntegrity(SHORT_TERM_KEY));
    assertEquals(StunVerification.OK, m.verify(SHORT_TERM_KEY, true));
    assertEquals(
        StunVerification.BAD_INTEGRITY,
        m.verify(StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBu"), true));
  }

  // RFC 5769 section 2.1: SOFTWARE needs no padding; USERNAME is padded with spaces.
  @Test
  void sampleRequestReencodes() {
    byte[] encoded =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TX)
            .software("STUN test client")
            .priority(0x6e0001ffL)
            .iceControlled(0x932ff9b151263b36L)
            .username("evtj:h6vY")
            .fingerprint()
            .messageIntegrity(SHORT_TERM_KEY)
            .paddingByte(' ')
            .encode();
    assertArrayEquals(SAMPLE_REQUEST, encoded);
  }

  // RFC 5769 section 2.2
  @Test
  void sampleIpv4ResponseDecodesAndVerifies() throws Exception {
    StunMessage m = StunMessage.decode(SAMPLE_IPV4_RESPONSE);
    assertTrue(m.is(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING));
    assertEquals(TX, m.transactionId());
    assertEquals("test vector", m.software());
    InetSocketAddress mapped = m.xorMappedAddress();
    assertEquals(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), mapped.getAddress());
    assertEquals(32853, mapped.getPort());
    assertNull(m.mappedAddress());
    assertEquals(StunVerification.OK, m.verify(SHORT_TERM_KEY, true));
  }

  // RFC 5769 section 2.2: SOFTWARE "test vector" is padded with one space.
  @Test
  void sampleIpv4ResponseReencodes() throws Exception {
    byte[] encoded =
        StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING, TX)
            .software("test vector")
            .xorMappedAddress(
                new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 32853))
            .messageIntegrity(SHORT_TERM_KEY)
            .fingerprint()
            .paddingByte(' ')
            .encode();
    assertArrayEquals(SAMPLE_IPV4_RESPONSE, encoded);
  }

  // RFC 5769 section 2.3
  @Test
  void sampleIpv6ResponseDecodesAndVerifies() {
    StunMessage m = StunMessage.decode(SAMPLE_IPV6_RESPONSE);
    assertTrue(m.is(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING));
    assertEquals("test vector", m.software());
    InetSocketAddress mapped = m.xorMappedAddress();
    assertArrayEquals(hex("20010db8123456780011223344556677"), mapped.getAddress().getAddress());
    assertEquals(32853, mapped.getPort());
    assertEquals(StunVerification.OK, m.verify(SHORT_TERM_KEY, true));
  }

  // RFC 5769 section 2.3
  @Test
  void sampleIpv6ResponseReencodes() throws Exception {
    byte[] encoded =
        StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING, TX)
            .software("test vector")
            .xorMappedAddress(
                new InetSocketAddress(
                    InetAddress.getByAddress(hex("20010db8123456780011223344556677")), 32853))
            .messageIntegrity(SHORT_TERM_KEY)
            .fingerprint()
            .paddingByte(' ')
            .encode();
    assertArrayEquals(SAMPLE_IPV6_RESPONSE, encoded);
  }

  // RFC 5769 section 2.4
  @Test
  void sampleLongTermRequestDecodesAndVerifies() {
    StunMessage m = StunMessage.decode(SAMPLE_LONG_TERM_REQUEST);
    assertTrue(m.is(StunClass.REQUEST, StunMethod.BINDING));
    assertEquals(TransactionId.of(hex("78ad3433c6ad72c029da412e")), m.transactionId());
    assertEquals(LONG_TERM_USERNAME, m.username());
    assertEquals(LONG_TERM_NONCE, m.nonce());
    assertEquals(LONG_TERM_REALM, m.realm());
    assertFalse(m.hasFingerprint());
    byte[] key = StunCredentials.longTermKey(m.username(), m.realm(), LONG_TERM_PASSWORD);
    assertEquals(StunVerification.OK, m.verifyIntegrity(key));
    assertEquals(StunVerification.OK, m.verify(key, false));
    assertEquals(StunVerification.NO_FINGERPRINT, m.verify(key, true));
    assertEquals(StunVerification.NO_FINGERPRINT, m.verifyFingerprint());
    byte[] wrong = StunCredentials.longTermKey(m.username(), m.realm(), "TheMatrix");
    assertEquals(StunVerification.BAD_INTEGRITY, m.verifyIntegrity(wrong));
  }

  // RFC 5769 section 2.4: zero padding, so the RFC bytes are canonical.
  @Test
  void sampleLongTermRequestReencodes() {
    byte[] key =
        StunCredentials.longTermKey(LONG_TERM_USERNAME, LONG_TERM_REALM, LONG_TERM_PASSWORD);
    byte[] encoded =
        StunMessage.builder(
                StunClass.REQUEST,
                StunMethod.BINDING,
                TransactionId.of(hex("78ad3433c6ad72c029da412e")))
            .username(LONG_TERM_USERNAME)
            .nonce(LONG_TERM_NONCE)
            .realm(LONG_TERM_REALM)
            .messageIntegrity(key)
            .encode();
    assertArrayEquals(SAMPLE_LONG_TERM_REQUEST, encoded);
    assertArrayEquals(
        LONG_TERM_USERNAME.getBytes(StandardCharsets.UTF_8),
        hex("e3839ee38388e383aae38383e382afe382b9"));
  }

  // RFC 5769 sections 2.1 to 2.4: the canonical re-encoding (zero padding) of every vector
  // decodes to an equal message.
  @Test
  void vectorsSurviveToBuilderRoundTrip() {
    for (byte[] v :
        new byte[][] {
          SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE, SAMPLE_LONG_TERM_REQUEST
        }) {
      StunMessage m = StunMessage.decode(v);
      StunMessage again = m.toBuilder().build();
      assertEquals(m.attributes().size() - (m.hasFingerprint() ? 2 : 1), again.attributes().size());
      assertEquals(m, StunMessage.decode(m.toBytes()));
    }
  }
}
