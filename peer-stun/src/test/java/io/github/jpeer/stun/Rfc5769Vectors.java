package io.github.jpeer.stun;

import java.util.HexFormat;

/** The four messages of RFC 5769, byte for byte, with their credentials. */
final class Rfc5769Vectors {
  private Rfc5769Vectors() {}

  /** Password of sections 2.1 to 2.3 (short-term credentials). */
  static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

  // RFC 5769 section 2.1: Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME
  // (padded with three spaces), MESSAGE-INTEGRITY, FINGERPRINT.
  static final byte[] SAMPLE_REQUEST =
      hex(
          "000100582112a442b7e7a701bc34d686fa87dfae"
              + "802200105354554e207465737420636c69656e74"
              + "002400046e0001ff"
              + "80290008932ff9b151263b36"
              + "000600096576746a3a68367659202020"
              + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
              + "80280004e57a3bcf");

  // RFC 5769 section 2.2: Binding success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853, SOFTWARE
  // "test vector" padded with one space.
  static final byte[] SAMPLE_IPV4_RESPONSE =
      hex(
          "0101003c2112a442b7e7a701bc34d686fa87dfae"
              + "8022000b7465737420766563746f7220"
              + "002000080001a147e112a643"
              + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
              + "80280004c07d4c96");

  // RFC 5769 section 2.3: Binding success response, XOR-MAPPED-ADDRESS
  // [2001:db8:1234:5678:11:2233:4455:6677]:32853.
  static final byte[] SAMPLE_IPV6_RESPONSE =
      hex(
          "010100482112a442b7e7a701bc34d686fa87dfae"
              + "8022000b7465737420766563746f7220"
              + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
              + "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
              + "80280004c8fb0b4c");

  // RFC 5769 section 2.4: Binding request with long-term credentials: USERNAME (18 bytes of
  // katakana, zero padded), NONCE, REALM "example.org" (zero padded), MESSAGE-INTEGRITY.
  static final byte[] SAMPLE_LONG_TERM_REQUEST =
      hex(
          "000100602112a44278ad3433c6ad72c029da412e"
              + "00060012e3839ee38388e383aae38383e382afe382b90000"
              + "0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341"
              + "0014000b6578616d706c652e6f726700"
              + "00080014f67024656dd64a3e02b8e0712e85c9a28ca89666");

  /** Section 2.4 username, already SASLprep'd: "マトリックス". */
  static final String LONG_TERM_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

  /** Section 2.4 password after SASLprep (the RFC lists the unprepared form). */
  static final String LONG_TERM_PASSWORD = "TheMatrIX";

  static final String LONG_TERM_NONCE = "f//499k954d6OL34oL9FSTvy64sA";
  static final String LONG_TERM_REALM = "example.org";

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
