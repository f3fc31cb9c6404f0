package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jpeer.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

class SrtpKeyMaterialTest {

  private static byte[] counting(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static byte[] range(int from, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  @Test
  void splitsRfc5764LayoutForTheClient() {
    // RFC 5764 section 4.2: client key | server key | client salt | server salt.
    SrtpKeyMaterial k =
        SrtpKeyMaterial.fromExporter(
            counting(60), SrtpProfile.AES128_CM_HMAC_SHA1_80, DtlsRole.CLIENT);
    assertArrayEquals(range(0, 16), k.localKey());
    assertArrayEquals(range(16, 16), k.remoteKey());
    assertArrayEquals(range(32, 14), k.localSalt());
    assertArrayEquals(range(46, 14), k.remoteSalt());
  }

  @Test
  void serverGetsTheMirrorImage() {
    byte[] exported = counting(88);
    SrtpKeyMaterial c =
        SrtpKeyMaterial.fromExporter(exported, SrtpProfile.AEAD_AES_256_GCM, DtlsRole.CLIENT);
    SrtpKeyMaterial s =
        SrtpKeyMaterial.fromExporter(exported, SrtpProfile.AEAD_AES_256_GCM, DtlsRole.SERVER);
    assertEquals(88, SrtpKeyMaterial.exportLength(SrtpProfile.AEAD_AES_256_GCM));
    assertArrayEquals(range(32, 32), s.localKey());
    assertArrayEquals(range(76, 12), s.localSalt());
    assertArrayEquals(c.localKey(), s.remoteKey());
    assertArrayEquals(c.localSalt(), s.remoteSalt());
    assertFalse(c.toString().contains("0"), c.toString());
  }

  @Test
  void exportLengthsPerProfile() {
    assertEquals(60, SrtpKeyMaterial.exportLength(SrtpProfile.AES128_CM_HMAC_SHA1_80));
    assertEquals(60, SrtpKeyMaterial.exportLength(SrtpProfile.AES128_CM_HMAC_SHA1_32));
    assertEquals(56, SrtpKeyMaterial.exportLength(SrtpProfile.AEAD_AES_128_GCM));
  }

  @Test
  void rejectsWrongLengths() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SrtpKeyMaterial.fromExporter(
                new byte[59], SrtpProfile.AES128_CM_HMAC_SHA1_80, DtlsRole.CLIENT));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SrtpKeyMaterial(
                SrtpProfile.AEAD_AES_128_GCM,
                new byte[16],
                new byte[14],
                new byte[16],
                new byte[12]));
  }
}
