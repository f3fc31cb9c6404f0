package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Crc32cTest {
  /**
   * RFC 3720 appendix B.4 lists the CRC32c of four 32-byte inputs as the bytes that go on the wire
   * (for SCTP: least significant byte of the CRC first, RFC 9260 appendix A).
   */
  private static void assertWireBytes(byte[] input, int... expectedWire) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(input);
    int value = (int) crc.getValue();
    byte[] wire = {
      (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
    };
    byte[] expected = new byte[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = (byte) expectedWire[i];
    }
    assertArrayEquals(expected, wire);
  }

  @Test
  void rfc3720AppendixB4Vectors() {
    // RFC 3720 B.4: 32 bytes of zeroes -> aa 36 91 8a (CRC value 0x8a9136aa)
    assertWireBytes(new byte[32], 0xaa, 0x36, 0x91, 0x8a);
    // RFC 3720 B.4: 32 bytes of ones -> 43 ab a8 62
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xFF);
    assertWireBytes(ones, 0x43, 0xab, 0xa8, 0x62);
    // RFC 3720 B.4: 32 bytes incrementing 00..1f -> 4e 79 dd 46
    byte[] inc = new byte[32];
    byte[] dec = new byte[32];
    for (int i = 0; i < 32; i++) {
      inc[i] = (byte) i;
      dec[i] = (byte) (31 - i);
    }
    assertWireBytes(inc, 0x4e, 0x79, 0xdd, 0x46);
    // RFC 3720 B.4: 32 bytes decrementing 1f..00 -> 5c db 3f 11
    assertWireBytes(dec, 0x5c, 0xdb, 0x3f, 0x11);
  }

  @Test
  void packetChecksumIsStoredLeastSignificantByteFirstOverTheZeroedField() {
    byte[] packet = new SctpPacket(5000, 5000, 0x01020304, List.of(new CookieAckChunk())).encode();
    // compute independently: the CRC over the packet with the checksum field zeroed
    byte[] zeroed = packet.clone();
    zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(zeroed);
    long v = crc.getValue();
    assertEquals((byte) v, packet[8]);
    assertEquals((byte) (v >>> 24), packet[11]);
    assertTrue(SctpPacket.checksumMatches(packet, 0, packet.length));
    packet[13] ^= 1;
    assertFalse(SctpPacket.checksumMatches(packet, 0, packet.length));
  }

  @Test
  void zeroChecksumIsNotAcceptedWithoutNegotiation() {
    byte[] packet = new SctpPacket(5000, 5000, 7, List.of(new CookieAckChunk())).encode();
    packet[8] = packet[9] = packet[10] = packet[11] = 0;
    assertFalse(SctpPacket.checksumMatches(packet, 0, packet.length));
  }
}
