package io.macp.issuer.security.tls;

import io.macp.issuer.security.InvalidPolicyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM as cert-manager writes a {@code kubernetes.io/tls} Secret: {@code tls.crt} a
 * certificate chain (leaf first), parsed by the JDK's {@link CertificateFactory}; {@code tls.key}
 * one private key as PKCS#8 ({@code PRIVATE KEY}, RSA or EC), PKCS#1 ({@code RSA PRIVATE KEY},
 * cert-manager's default encoding) or SEC1 ({@code EC PRIVATE KEY}), parsed by BouncyCastle's
 * {@link PEMParser} and turned into a JDK key by the JDK's own key factories. No ASN.1 is read by
 * hand. Encrypted keys are refused. Error messages never include key material.
 */
public final class PemFiles {
  private PemFiles() {}

  public static List<X509Certificate> certificates(byte[] pem) throws InvalidPolicyException {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      // The JDK reads a sequence of PEM CERTIFICATE blocks (text around them is skipped).
      for (Certificate c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) c);
      }
    } catch (CertificateException | RuntimeException e) {
      throw new InvalidPolicyException("tls.crt holds a certificate that cannot be read");
    }
    if (chain.isEmpty()) {
      throw new InvalidPolicyException("tls.crt holds no PEM CERTIFICATE block");
    }
    return chain;
  }

  public static PrivateKey privateKey(byte[] pem) throws InvalidPolicyException {
    if (new String(pem, StandardCharsets.US_ASCII).contains("ENCRYPTED")) {
      // PKCS#8 "ENCRYPTED PRIVATE KEY" or an OpenSSL "Proc-Type: 4,ENCRYPTED" header.
      throw new InvalidPolicyException("tls.key: an encrypted private key is not supported");
    }
    List<Object> keys = new ArrayList<>();
    try (Reader text = new InputStreamReader(new ByteArrayInputStream(pem),
        StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(text)) {
      for (Object o; (o = parser.readObject()) != null; ) {
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new InvalidPolicyException("tls.key: an encrypted private key is not supported");
        }
        if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo) {
          keys.add(o);
        }
      }
    } catch (IOException | RuntimeException e) {
      // BouncyCastle's messages may describe the content: only the kind of failure is shown.
      throw new InvalidPolicyException("tls.key: the PEM cannot be read");
    }
    if (keys.size() != 1) {
      throw new InvalidPolicyException("tls.key must hold exactly one PEM private key, found "
          + keys.size() + " (use an unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC key)");
    }
    Object k = keys.get(0);
    PrivateKeyInfo info = k instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
        : (PrivateKeyInfo) k;
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new InvalidPolicyException("tls.key: the private key cannot be read (RSA or EC)");
    }
  }
}
