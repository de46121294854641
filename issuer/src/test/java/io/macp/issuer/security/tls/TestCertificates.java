package io.macp.issuer.security.tls;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** Self-signed certificates made by the JDK's keytool at test time, written as PEM. */
final class TestCertificates {
  record Pair(X509Certificate certificate, PrivateKey key) {
    String certPem() throws Exception {
      return pem("CERTIFICATE", certificate.getEncoded());
    }

    String pkcs8Pem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    /** {@code RSA PRIVATE KEY}: the PKCS#1 structure inside the PKCS#8 one (BouncyCastle). */
    String pkcs1Pem() throws Exception {
      return pem("RSA PRIVATE KEY", PrivateKeyInfo.getInstance(key.getEncoded())
          .parsePrivateKey().toASN1Primitive().getEncoded());
    }

    /** {@code EC PRIVATE KEY} (SEC1) with the P-256 curve named, as openssl writes it. */
    String sec1Pem() {
      byte[] s = toFixed(((ECPrivateKey) key).getS().toByteArray(), 32);
      byte[] curve = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
      byte[] body = concat(new byte[] {0x02, 0x01, 0x01, 0x04, 0x20}, s,
          new byte[] {(byte) 0xa0, (byte) curve.length}, curve);
      return pem("EC PRIVATE KEY", concat(new byte[] {0x30, (byte) body.length}, body));
    }
  }

  private TestCertificates() {}

  /** @param keyAlg RSA or EC */
  static Pair generate(Path dir, String name, String keyAlg) throws Exception {
    Path store = dir.resolve(name + ".p12");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "tls", "-keyalg", keyAlg, "-dname", "CN=" + name,
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"));
    cmd.addAll(keyAlg.equals("EC") ? List.of("-groupname", "secp256r1")
        : List.of("-keysize", "2048"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    return new Pair((X509Certificate) ks.getCertificate("tls"),
        (PrivateKey) ks.getKey("tls", "changeit".toCharArray()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] toFixed(byte[] b, int len) {
    byte[] out = new byte[len];
    int copy = Math.min(b.length, len);
    System.arraycopy(b, b.length - copy, out, len - copy, copy);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
