package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.internal.DnsMessage;
import io.github.jpeer.testkit.SimNetwork;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A remote that hides its address behind an mDNS name (as browsers do): the offer's host candidate
 * says {@code <uuid>.local}, and jpeer must resolve it (RFC 6762) before it can pair. In virtual
 * time: the core's query comes out of {@code pollTransmit} marked as mDNS, the simulated link's
 * responder answers, and the answer goes back in through {@code handleMdnsReceive}. The driver's
 * mDNS sockets are tested on real sockets by {@code internal.MdnsSocketsTest}.
 */
class MdnsCandidateTest {
  static final String NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

  @Test
  void aRemoteDotLocalCandidateIsResolvedAndUsed() {
    SimCall call = new SimCall(21, new SimNetwork(21).setDelayNanos(5 * SimCall.MS));
    List<String> asked = new ArrayList<>();
    byte[] offererAddress = call.offerer.address.getAddress().getAddress();
    call.mdnsResponder =
        (side, query) -> {
          String name = questionName(query);
          asked.add(name);
          return name.equals(NAME) && questionType(query) == DnsMessage.TYPE_A
              ? answer(name, offererAddress)
              : null;
        };
    negotiateHidingTheOfferersAddress(call);
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.COMPLETED), 10 * SimCall.SECOND),
        call::toString);
    assertEquals(NAME, asked.get(0), "the answerer asked for the name: " + asked);
    PeerStats stats = call.answerer.core.stats();
    assertFalse(stats.dropped().containsKey("mdns-unresolved"), stats::toString);
    assertEquals(call.offerer.address, stats.candidatePair().remote(), stats::toString);
  }

  @Test
  void aNameNobodyAnswersIsCountedAndNeverPaired() {
    SimCall call = new SimCall(22, new SimNetwork(22).setDelayNanos(5 * SimCall.MS));
    int[] queries = {0};
    call.mdnsResponder =
        (side, query) -> {
          queries[0]++;
          return null;
        };
    negotiateHidingTheOfferersAddress(call);
    call.run(15 * SimCall.SECOND);
    // three attempts a second apart, each asking for A and AAAA, then it gives up
    assertEquals(6, queries[0], "queries sent");
    PeerStats stats = call.answerer.core.stats();
    assertEquals(1L, stats.dropped().get("mdns-unresolved"), stats::toString);
    assertNotEquals(PeerConnectionState.COMPLETED, call.answerer.state(), call::toString);
    assertNotEquals(PeerConnectionState.CONNECTED, call.answerer.state(), call::toString);
  }

  /**
   * The offer's host address becomes {@link #NAME}, as a browser sends it; the offerer learns no
   * candidate of the answerer, so only the answerer's checks to the resolved name make a pair.
   */
  private static void negotiateHidingTheOfferersAddress(SimCall call) {
    String ip = call.offerer.address.getAddress().getHostAddress();
    call.negotiate(
        offer -> {
          assertTrue(offer.contains(" " + ip + " "), offer);
          return offer.replace(" " + ip + " ", " " + NAME + " ");
        },
        TestPeer::withoutCandidates);
  }

  static String questionName(byte[] q) {
    StringBuilder sb = new StringBuilder();
    int p = 12;
    while (p < q.length && q[p] != 0) {
      int n = q[p] & 0xff;
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(q, p + 1, n, StandardCharsets.US_ASCII));
      p += 1 + n;
    }
    return sb.toString();
  }

  static int questionType(byte[] q) {
    int p = 12 + questionName(q).length() + 2;
    return ((q[p] & 0xff) << 8) | (q[p + 1] & 0xff);
  }

  /** An mDNS response: one A record with the cache-flush bit, TTL 120 s. */
  static byte[] answer(String name, byte[] address) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(0);
    out.writeBytes(new byte[] {0, 1, (byte) 0x80, 1, 0, 0, 0, 120, 0, 4});
    out.writeBytes(address);
    return out.toByteArray();
  }

  @Test
  void theResponseBuilderMatchesWhatDnsMessageReads() throws Exception {
    byte[] response = answer(NAME, new byte[] {127, 0, 0, 1});
    assertEquals(
        List.of(new DnsMessage.Answer(NAME, InetAddress.getLoopbackAddress())),
        DnsMessage.answers(response, response.length));
  }
}
