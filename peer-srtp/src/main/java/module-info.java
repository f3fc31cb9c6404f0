/** SRTP and SRTCP (RFC 3711, RFC 7714). */
module io.github.jpeer.srtp {
  // HmacSha1 asks HotSpot's diagnostic MXBean whether SHA-1 is an intrinsic (and falls back if
  // the answer cannot be had): java.lang.management, and jdk.management bound as its provider.
  requires java.management;

  exports io.github.jpeer.srtp;
}
