package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes arbitrary bytes: either a {@link StunParseException} or a message that survives an encode
 * and decode unchanged. Seeds: the RFC 5769 messages and a few TURN and ICE messages.
 */
class StunMessageFuzzTest {

  private static final byte[] KEY = StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

  @FuzzTest(maxDuration = "60s")
  void decodeEncodeDecode(byte[] data) {
    StunMessage m;
    try {
      m = StunMessage.decode(data);
    } catch (StunParseException e) {
      return; // the one documented failure
    }
    assertTrue(StunMessage.isStun(data, 0, data.length));

    // The received bytes decode to the same message.
    assertEquals(m, StunMessage.decode(m.toBytes()));
    assertArrayEquals(data, m.toBytes());

    // The canonical re-encoding keeps everything but the computed attributes, and is stable.
    StunMessage canonical = StunMessage.decode(m.toBuilder().encode());
    assertEquals(m.transactionId(), canonical.transactionId());
    assertEquals(m.messageClass(), canonical.messageClass());
    assertEquals(m.methodCode(), canonical.methodCode());
    assertEquals(withoutComputed(m.attributes()), canonical.attributes());
    assertEquals(canonical, StunMessage.decode(canonical.toBuilder().encode()));

    // Every accessor works on whatever decoded, and verification only reports.
    touchAccessors(m);
    assertNotNull(m.verify(KEY, true));
    assertNotNull(m.toString());
  }

  private static List<StunAttribute> withoutComputed(List<StunAttribute> attributes) {
    List<StunAttribute> out = new ArrayList<>();
    for (StunAttribute a : attributes) {
      if (a.type() != StunAttributeType.MESSAGE_INTEGRITY
          && a.type() != StunAttributeType.MESSAGE_INTEGRITY_SHA256
          && a.type() != StunAttributeType.FINGERPRINT) {
        out.add(a);
      }
    }
    return out;
  }

  static void touchAccessors(StunMessage m) {
    m.method();
    m.mappedAddress();
    m.xorMappedAddress();
    m.xorPeerAddresses();
    m.xorRelayedAddress();
    m.username();
    m.realm();
    m.nonce();
    m.software();
    m.errorCode();
    m.unknownAttributes();
    m.unknownComprehensionRequired();
    m.lifetimeSeconds();
    m.requestedTransport();
    m.channelNumber();
    m.data();
    m.priority();
    m.useCandidate();
    m.iceControlled();
    m.iceControlling();
  }
}
