package io.github.jpeer.dtls;

import java.util.Locale;

/**
 * Which side of the DTLS handshake this endpoint plays, decided by the SDP {@code a=setup}
 * attribute (RFC 4145 section 4, RFC 5763 section 5, RFC 8842 section 5).
 *
 * <p>The mapping, from our own point of view once offer and answer are settled:
 *
 * <pre>
 * our setup   remote setup   we are
 * active      passive        CLIENT  (we send the ClientHello)
 * passive     active         SERVER  (we wait for it)
 * </pre>
 *
 * An offerer writes {@code actpass}; the answerer picks {@code active} (browsers do) or {@code
 * passive}, and the offerer then takes the opposite.
 */
public enum DtlsRole {
  /** DTLS client: sends the ClientHello. Our SDP says {@code a=setup:active}. */
  CLIENT,
  /** DTLS server: answers the ClientHello. Our SDP says {@code a=setup:passive}. */
  SERVER;

  /**
   * Our role from our own resolved setup value ({@code active} or {@code passive}).
   *
   * @throws IllegalArgumentException for {@code actpass} (not yet resolved: wait for the answer,
   *     then use {@link #fromRemoteSetup}) or any other value
   */
  public static DtlsRole fromLocalSetup(String localSetup) {
    return switch (normalise(localSetup)) {
      case "active" -> CLIENT;
      case "passive" -> SERVER;
      default -> throw unresolved("local", localSetup);
    };
  }

  /**
   * Our role from the remote's resolved setup value: the remote's {@code active} makes us the
   * SERVER, its {@code passive} makes us the CLIENT.
   *
   * @throws IllegalArgumentException for {@code actpass} or any other value
   */
  public static DtlsRole fromRemoteSetup(String remoteSetup) {
    return switch (normalise(remoteSetup)) {
      case "active" -> SERVER;
      case "passive" -> CLIENT;
      default -> throw unresolved("remote", remoteSetup);
    };
  }

  private static String normalise(String setup) {
    return setup == null ? "" : setup.strip().toLowerCase(Locale.ROOT);
  }

  private static IllegalArgumentException unresolved(String side, String setup) {
    return new IllegalArgumentException(
        "the "
            + side
            + " setup attribute must be 'active' or 'passive' to fix the DTLS role, got '"
            + setup
            + "' (an offer's 'actpass' is resolved by the answer)");
  }
}
