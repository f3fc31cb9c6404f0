/** DTLS-SRTP (RFC 6347, RFC 5764) on BouncyCastle's DTLS. */
module io.github.jpeer.dtls {
  // SrtpKeyMaterial hands out peer-srtp's SrtpProfile.
  requires transitive io.github.jpeer.srtp;
  // BouncyCastle is an implementation detail: none of its types is in this module's API.
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.tls;

  exports io.github.jpeer.dtls;
}
