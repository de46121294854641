package io.macp.issuer.security;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM as cert-manager writes a {@code kubernetes.io/tls} Secret, with JDK classes only:
 * {@code tls.crt} a certificate chain (leaf first); {@code tls.key} a PKCS#8 ({@code PRIVATE KEY},
 * RSA or EC), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) key. Encrypted keys
 * are refused. Error messages never include key material.
 */
public final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private PemFiles() {}

  public static List<X509Certificate> certificates(byte[] pem) throws InvalidPolicyException {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(pem)) {
        if (b.type.equals("CERTIFICATE")) {
          Certificate c = cf.generateCertificate(new ByteArrayInputStream(b.der));
          chain.add((X509Certificate) c);
        }
      }
    } catch (CertificateException e) {
      throw new InvalidPolicyException("tls.crt holds a certificate that cannot be read");
    }
    if (chain.isEmpty()) {
      throw new InvalidPolicyException("tls.crt holds no PEM CERTIFICATE block");
    }
    return chain;
  }

  public static PrivateKey privateKey(byte[] pem) throws InvalidPolicyException {
    List<Block> keys = new ArrayList<>();
    for (Block b : blocks(pem)) {
      if (b.type.endsWith("PRIVATE KEY")) {
        keys.add(b);
      }
    }
    if (keys.size() != 1) {
      throw new InvalidPolicyException("tls.key must hold exactly one PEM private key, found "
          + keys.size());
    }
    Block k = keys.get(0);
    try {
      return switch (k.type) {
        case "PRIVATE KEY" -> pkcs8(k.der);
        case "RSA PRIVATE KEY" -> pkcs1(k.der);
        case "EC PRIVATE KEY" -> sec1(k.der);
        default -> throw new InvalidPolicyException("tls.key: '" + k.type
            + "' is not supported (use an unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC key)");
      };
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidPolicyException("tls.key: the " + k.type + " cannot be read");
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    KeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("neither RSA nor EC");
  }

  // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv }
  private static PrivateKey pkcs1(byte[] der) throws GeneralSecurityException {
    List<Der.Element> f = Der.parse(der).children();
    if (f.size() < 9) {
      throw new IllegalArgumentException("short PKCS#1 key");
    }
    BigInteger[] v = new BigInteger[9];
    for (int i = 0; i < 9; i++) {
      v[i] = f.get(i).integer();
    }
    return KeyFactory.getInstance("RSA").generatePrivate(
        new RSAPrivateCrtKeySpec(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
  }

  // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID, [1] public }
  private static PrivateKey sec1(byte[] der) throws GeneralSecurityException {
    List<Der.Element> f = Der.parse(der).children();
    if (f.size() < 3) {
      throw new IllegalArgumentException("SEC1 key without curve parameters");
    }
    f.get(1).require(Der.OCTET_STRING);
    BigInteger s = new BigInteger(1, f.get(1).value());
    String curve = null;
    for (Der.Element e : f.subList(2, f.size())) {
      if (e.tag() == 0xa0) {
        curve = Der.parse(e.value()).oid();
      }
    }
    if (curve == null) {
      throw new IllegalArgumentException("SEC1 key without curve parameters");
    }
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec(curve));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, spec));
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(byte[] pem) throws InvalidPolicyException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.contains("ENCRYPTED")) {
      throw new InvalidPolicyException("an encrypted PEM block is not supported");
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new InvalidPolicyException("a PEM " + m.group(1) + " block is not valid base64");
      }
    }
    return out;
  }
}
