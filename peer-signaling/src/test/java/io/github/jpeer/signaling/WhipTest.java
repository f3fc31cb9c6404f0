package io.github.jpeer.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** WhipClient against WhipServer on 127.0.0.1: the RFC 9725 exchange end to end. */
class WhipTest {
  private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  @Test
  void publishPatchAndDelete() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    WhipServer.Handler handler =
        new WhipServer.Handler() {
          @Override
          public String onOffer(String id, String offer) {
            calls.add("offer " + offer.length());
            return offer.replace("o=- 1 2", "o=- 5 6");
          }

          @Override
          public void onPatch(String id, String fragment) {
            calls.add("patch " + fragment.strip());
          }

          @Override
          public void onDelete(String id) {
            calls.add("delete");
          }
        };
    try (WhipServer server = WhipServer.start(ANY_LOOPBACK_PORT, "/whip", "token", handler)) {
      WhipClient client = new WhipClient(server.endpoint(), "token");
      WhipClient.Session session = client.publish(OFFER);
      assertTrue(session.answerSdp().contains("o=- 5 6"));
      assertTrue(session.location().getPath().startsWith("/whip/"), session.location().toString());
      assertTrue(session.etag() != null);
      assertEquals(1, server.sessionCount());
      session.patch("a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n");
      session.close();
      session.close(); // idempotent: no second DELETE
      assertEquals(0, server.sessionCount());
      assertEquals(
          List.of(
              "offer " + OFFER.length(),
              "patch a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host",
              "delete"),
          calls);
    }
  }

  @Test
  void wrongTokenIs401AndUnknownSessionIs404() throws Exception {
    try (WhipServer server =
        WhipServer.start(ANY_LOOPBACK_PORT, "/whip", "token", (id, offer) -> offer)) {
      SignalingException e =
          assertThrows(
              SignalingException.class,
              () -> new WhipClient(server.endpoint(), "wrong").publish(OFFER));
      assertEquals(401, e.status());
      WhipClient.Session s = new WhipClient(server.endpoint(), "token").publish(OFFER);
      s.close();
      SignalingException gone = assertThrows(SignalingException.class, () -> s.patch("a=x\r\n"));
      assertEquals(404, gone.status());
    }
  }

  @Test
  void anOfferTheHandlerRejectsIs400WithItsReason() throws Exception {
    try (WhipServer server =
        WhipServer.start(
            ANY_LOOPBACK_PORT,
            "/whip",
            null,
            (id, offer) -> {
              throw new IllegalArgumentException("no audio section in the offer");
            })) {
      SignalingException e =
          assertThrows(
              SignalingException.class,
              () -> new WhipClient(server.endpoint(), null).publish(OFFER));
      assertEquals(400, e.status());
      assertTrue(e.getMessage().contains("no audio section in the offer"), e.getMessage());
    }
  }

  @Test
  void nothingListeningIsASignalingException() {
    WhipClient client = new WhipClient(URI.create("http://127.0.0.1:9/whip"), null);
    SignalingException e = assertThrows(SignalingException.class, () -> client.publish(OFFER));
    assertEquals(0, e.status());
  }
}
