package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  @Test
  void parsesTheRfc8122ExampleAndFormatsCanonically() {
    // RFC 8122 section 5 example attribute (sha-1 over some certificate).
    Fingerprint f =
        Fingerprint.parse("SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
    assertEquals("sha-1", f.algorithm());
    assertEquals("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", f.format());
  }

  @Test
  void acceptsLowercaseHexAndMixedCaseNames() {
    String hex = "4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab";
    assertEquals(
        Fingerprint.parse("sha-1 " + hex.toUpperCase()), Fingerprint.parse("Sha-1 " + hex));
  }

  @Test
  void digestsMatchKnownSha256Vector() {
    // FIPS 180-2 "abc" vector: checks that of() hashes the whole input with the named function.
    Fingerprint f = Fingerprint.of("SHA-256", "abc".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        f.value());
    assertTrue(f.matches("abc".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(f.matches("abd".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void everySupportedHashRoundTrips() {
    byte[] der = {1, 2, 3};
    for (String name : new String[] {"sha-1", "sha-256", "sha-384", "sha-512"}) {
      Fingerprint f = Fingerprint.of(name, der);
      assertEquals(f, Fingerprint.parse(f.format()));
      assertTrue(Fingerprint.isSupported(name.toUpperCase()));
    }
    assertFalse(Fingerprint.isSupported("md5"));
  }

  @Test
  void rejectsBadInputWithClearMessages() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("md5 AA:BB"));
    assertTrue(e.getMessage().contains("md5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha-256"));
    assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha-256 AA:BB"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Fingerprint.parse("sha-1 zz:" + "00:".repeat(18) + "00"));
    assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(null));
  }

  @Test
  void valueIsDefensivelyCopied() {
    byte[] v = new byte[32];
    Fingerprint f = new Fingerprint("sha-256", v);
    v[0] = 1;
    f.value()[1] = 1;
    assertArrayEquals(new byte[32], f.value());
  }
}
