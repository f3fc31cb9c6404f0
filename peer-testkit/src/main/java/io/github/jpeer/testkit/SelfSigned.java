package io.github.jpeer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1), made by Debian's openssl,
 * for a TLS server a test starts (coturn's {@code turns:} listener): the PEM files for the server
 * and a trust store holding the certificate for the client.
 *
 * @param certificate the certificate, PEM
 * @param privateKey its P-256 private key, PEM, unencrypted
 * @param trustStore a PKCS#12 store holding the certificate as a trusted entry
 */
public record SelfSigned(Path certificate, Path privateKey, KeyStore trustStore) {
  /**
   * Makes {@code cert.pem} and {@code key.pem} in {@code dir}, valid for two days.
   *
   * @throws IOException if openssl is missing or fails (its output is in the message)
   */
  public static SelfSigned forLoopback(Path dir) throws IOException, InterruptedException {
    Path openssl = ExternalTools.executable("openssl", "openssl");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                openssl.toString(),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("openssl req failed: " + out);
    }
    try (InputStream in = Files.newInputStream(cert)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(
          "loopback", CertificateFactory.getInstance("X.509").generateCertificate(in));
      return new SelfSigned(cert, key, trust);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate openssl made: " + e, e);
    }
  }
}
