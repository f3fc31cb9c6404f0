package io.github.jpeer.stun;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Builds messages from fuzzer-chosen typed values and checks that decoding gives every value back
 * and that the computed integrity and fingerprint verify.
 */
class StunBuilderFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void typedValuesRoundTrip(FuzzedDataProvider data) throws UnknownHostException {
    StunClass messageClass = StunClass.fromBits(data.consumeInt(0, 3));
    int methodCode = data.consumeInt(0, 0xFFF);
    TransactionId tx = new TransactionId(data.consumeInt(), data.consumeLong());
    InetSocketAddress address =
        new InetSocketAddress(
            data.consumeBoolean()
                ? InetAddress.getByAddress(padTo(data.consumeBytes(4), 4))
                : Inet6Address.getByAddress(null, padTo(data.consumeBytes(16), 16), -1),
            data.consumeInt(0, 0xFFFF));
    String username = data.consumeString(100);
    long priority = data.consumeLong(0, 0xFFFF_FFFFL);
    long tieBreaker = data.consumeLong();
    int code = data.consumeInt(300, 699);
    String reason = data.consumeString(60);
    int channel = data.consumeInt(ChannelData.MIN_CHANNEL_NUMBER, ChannelData.MAX_CHANNEL_NUMBER);
    byte[] key = padTo(data.consumeBytes(32), 1);
    boolean sha256 = data.consumeBoolean();
    byte[] payload = data.consumeRemainingAsBytes();

    StunMessage.Builder b =
        StunMessage.builder(messageClass, methodCode, tx)
            .xorMappedAddress(address)
            .mappedAddress(address)
            .xorPeerAddress(address)
            .xorRelayedAddress(address)
            .priority(priority)
            .iceControlling(tieBreaker)
            .errorCode(new ErrorCode(code, reason))
            .channelNumber(channel)
            .data(payload)
            .messageIntegrity(key)
            .fingerprint();
    if (b.encodedLength() > StunMessage.MAX_LENGTH - 600) {
      return; // the username below could push it over the limit
    }
    try {
      b.username(username);
    } catch (IllegalArgumentException tooLong) {
      return;
    }
    if (sha256) {
      b.messageIntegritySha256(key);
    }
    byte[] bytes = b.encode();
    assertEquals(bytes.length, b.encodedLength());
    assertTrue(StunMessage.isStun(bytes, 0, bytes.length));
    StunMessage m = StunMessage.decode(bytes);
    assertEquals(messageClass, m.messageClass());
    assertEquals(methodCode, m.methodCode());
    assertEquals(tx, m.transactionId());
    assertEquals(address, m.xorMappedAddress());
    assertEquals(address, m.mappedAddress());
    assertEquals(address, m.xorPeerAddress());
    assertEquals(address, m.xorRelayedAddress());
    assertEquals(priority, m.priority().getAsLong());
    assertEquals(tieBreaker, m.iceControlling().getAsLong());
    assertEquals(code, m.errorCode().code());
    assertEquals(channel, m.channelNumber().getAsInt());
    assertArrayEquals(payload, m.data());
    // Unpaired surrogates become '?' in UTF-8, so compare with the string's own round trip.
    assertEquals(new String(username.getBytes(UTF_8), UTF_8), m.username());
    assertEquals(StunVerification.OK, m.verify(key, true));
  }

  private static byte[] padTo(byte[] b, int n) {
    return b.length >= n ? b : Arrays.copyOf(b, n);
  }
}
