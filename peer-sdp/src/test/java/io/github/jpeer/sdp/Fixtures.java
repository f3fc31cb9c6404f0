package io.github.jpeer.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the SDP fixtures under {@code src/test/resources/fixtures/}. */
final class Fixtures {
  static final List<String> ALL =
      List.of(
          "chrome-offer.sdp",
          "firefox-offer.sdp",
          "safari-offer.sdp",
          "aiortc-offer.sdp",
          "pion-answer.sdp",
          "openai-answer.sdp",
          // Captured, not hand-written: libwebrtc (webrtc-java 0.14) on this kind of machine.
          "libwebrtc-captured-offer.sdp");

  private Fixtures() {}

  static String load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SessionDescription parse(String name) {
    return SessionDescription.parse(load(name));
  }
}
