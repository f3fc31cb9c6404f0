package io.github.jpeer.srtp;

/**
 * The SRTP protection profiles jpeer negotiates with DTLS {@code use_srtp} (RFC 5764 section 4.1.2,
 * RFC 7714 section 14.2), with the key, salt and tag sizes each one fixes.
 *
 * <p>RTCP always carries an 80-bit tag in the HMAC-SHA1 profiles, even in {@code _32} (RFC 5764
 * section 4.1.2: "SRTCP_AUTH_TAG_LENGTH = 80"); the AEAD profiles carry a 16-byte GCM tag in both.
 */
public enum SrtpProfile {
  /** SRTP_AES128_CM_HMAC_SHA1_80 (0x0001): AES-128 counter mode, 80-bit HMAC-SHA1 tag. */
  AES128_CM_HMAC_SHA1_80(0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, 10, 10),
  /** SRTP_AES128_CM_HMAC_SHA1_32 (0x0002): as _80 but a 32-bit tag on RTP (80-bit on RTCP). */
  AES128_CM_HMAC_SHA1_32(0x0002, "SRTP_AES128_CM_HMAC_SHA1_32", 16, 14, 4, 10),
  /** SRTP_AEAD_AES_128_GCM (0x0007): AES-128-GCM with a 16-byte tag (RFC 7714). */
  AEAD_AES_128_GCM(0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16),
  /** SRTP_AEAD_AES_256_GCM (0x0008): AES-256-GCM with a 16-byte tag (RFC 7714). */
  AEAD_AES_256_GCM(0x0008, "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16);

  private final int id;
  private final String rfcName;
  private final int masterKeyLength;
  private final int masterSaltLength;
  private final int rtpAuthTagLength;
  private final int rtcpAuthTagLength;

  SrtpProfile(
      int id,
      String rfcName,
      int masterKeyLength,
      int masterSaltLength,
      int rtpAuthTagLength,
      int rtcpAuthTagLength) {
    this.id = id;
    this.rfcName = rfcName;
    this.masterKeyLength = masterKeyLength;
    this.masterSaltLength = masterSaltLength;
    this.rtpAuthTagLength = rtpAuthTagLength;
    this.rtcpAuthTagLength = rtcpAuthTagLength;
  }

  /** The two-byte SRTPProtectionProfile value carried in the DTLS use_srtp extension. */
  public int id() {
    return id;
  }

  /** The profile's name as the RFCs and IANA registry spell it. */
  public String rfcName() {
    return rfcName;
  }

  /** Master key length in bytes. */
  public int masterKeyLength() {
    return masterKeyLength;
  }

  /** Master salt length in bytes. */
  public int masterSaltLength() {
    return masterSaltLength;
  }

  /** Bytes of authentication tag appended to each SRTP packet. */
  public int rtpAuthTagLength() {
    return rtpAuthTagLength;
  }

  /** Bytes of authentication tag appended to each SRTCP packet (after the SRTCP index). */
  public int rtcpAuthTagLength() {
    return rtcpAuthTagLength;
  }

  /**
   * Bytes of DTLS keying material this profile needs (RFC 5764 section 4.2): a master key and a
   * master salt for each direction, {@code 2 * (masterKeyLength() + masterSaltLength())}.
   */
  public int keyingMaterialLength() {
    return 2 * (masterKeyLength + masterSaltLength);
  }

  /** True for the AEAD (GCM) profiles of RFC 7714. */
  public boolean isAead() {
    return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
  }

  /**
   * The profile with the given use_srtp id, or {@code null} if jpeer does not implement it (an
   * unknown id from the network is not an error: it is skipped during negotiation).
   */
  public static SrtpProfile fromId(int id) {
    for (SrtpProfile p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }
}
