package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void queryLayoutFollowsRfc1035() {
    // RFC 1035 4.1.1/4.1.2: id, flags 0, QDCOUNT 1, then labels "a" "local" 0, TYPE A, CLASS IN.
    assertArrayEquals(
        hex("1234 0000 0001 0000 0000 0000 01 61 05 6c6f63616c 00 0001 0001"),
        DnsMessage.query(0x1234, "a.local", DnsMessage.TYPE_A));
    assertThrows(
        IllegalArgumentException.class, () -> DnsMessage.query(1, "a..local", DnsMessage.TYPE_A));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsMessage.query(1, "x".repeat(64) + ".local", DnsMessage.TYPE_A));
  }

  /**
   * An mDNS response as Chrome's responder sends it: no question, one A answer with the cache-flush
   * bit set in CLASS, and an AAAA in the additional section whose name is a compression pointer to
   * the first (RFC 1035 4.1.4).
   */
  static byte[] chromeStyleResponse() {
    return hex(
        "0000 8400 0000 0001 0000 0001"
            + " 24 31663437313264622d656131372d346263662d613539362d313035313339646664386266"
            + " 05 6c6f63616c 00"
            + " 0001 8001 00000078 0004 c0000202"
            + " c00c 001c 8001 00000078 0010 20010db8000000000000000000000001");
  }

  @Test
  void readsAnswersWithCacheFlushBitAndCompression() throws Exception {
    List<DnsMessage.Answer> answers =
        DnsMessage.answers(chromeStyleResponse(), chromeStyleResponse().length);
    String name = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";
    assertEquals(
        List.of(
            new DnsMessage.Answer(name, InetAddress.getByName("192.0.2.2")),
            new DnsMessage.Answer(name, InetAddress.getByName("2001:db8::1"))),
        answers);
  }

  @Test
  void rejectsQueriesTruncationAndPointerLoops() {
    byte[] ok = chromeStyleResponse();
    for (int len = 0; len < ok.length - 16; len++) {
      int n = len;
      assertThrows(
          DnsMessage.DnsFormatException.class, () -> DnsMessage.answers(ok, n), "length " + n);
    }
    byte[] query = DnsMessage.query(1, "a.local", DnsMessage.TYPE_A);
    assertThrows(
        DnsMessage.DnsFormatException.class, () -> DnsMessage.answers(query, query.length));
    // One answer whose name is a pointer to itself.
    byte[] loop = hex("0000 8400 0000 0001 0000 0000 c00c 0001 0001 00000078 0004 7f000001");
    assertThrows(DnsMessage.DnsFormatException.class, () -> DnsMessage.answers(loop, loop.length));
  }
}
