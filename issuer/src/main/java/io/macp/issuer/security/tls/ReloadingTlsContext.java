package io.macp.issuer.security.tls;

import io.macp.issuer.files.FileContent;
import io.macp.issuer.files.PolledValue;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.SecurityMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's server TLS from PEM {@code tls.crt}/{@code tls.key} files, renewed without a
 * restart: one {@link SSLContext} whose key manager switches to the new certificate when the files
 * change (new handshakes use it; open connections keep theirs). A renewal that cannot be used (bad
 * PEM, key not matching the certificate, half-written files) is refused and the old pair stays.
 * TLS 1.3 and 1.2 only, AEAD suites with forward secrecy only, server order preferred.
 */
public final class ReloadingTlsContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsContext.class);

  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  static final List<String> STRONG_CIPHER_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384",
      "TLS_AES_128_GCM_SHA256",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  /** A usable certificate chain and key, with a key manager serving them under one alias. */
  record Material(List<X509Certificate> chain, X509ExtendedKeyManager keyManager) {}

  private final PolledValue<byte[][], Material> reloader;
  private final SwitchingKeyManager keyManager;
  private final SSLContext context;
  private final String[] cipherSuites;

  private ReloadingTlsContext(PolledValue<byte[][], Material> reloader,
      SwitchingKeyManager keyManager) throws GeneralSecurityException {
    this.reloader = reloader;
    this.keyManager = keyManager;
    this.context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, null, null);
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
    this.cipherSuites =
        STRONG_CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
  }

  /** Loads the pair (failing with the reason when unusable) and polls it every interval. */
  public static ReloadingTlsContext open(
      Path certFile, Path keyFile, Duration pollInterval, MeterRegistry registry)
      throws InvalidPolicyException {
    SwitchingKeyManager km = new SwitchingKeyManager();
    PolledValue<byte[][], Material> reloader = new PolledValue<>(
        "tls", new Source(certFile, keyFile), new SecurityMetrics(registry)::reloadFailed,
        km::use, InvalidPolicyException::new);
    try {
      ReloadingTlsContext tls = new ReloadingTlsContext(reloader, km);
      reloader.start(pollInterval);
      return tls;
    } catch (GeneralSecurityException e) {
      reloader.close();
      throw new InvalidPolicyException("TLS is not available in this JVM: " + e.getMessage());
    }
  }

  public SSLContext sslContext() {
    return context;
  }

  /** TLS 1.3 then 1.2; only these. */
  public String[] protocols() {
    return PROTOCOLS.toArray(String[]::new);
  }

  /** The strong suites this JVM supports, in preference order. */
  public String[] cipherSuites() {
    return cipherSuites.clone();
  }

  /** Server parameters to apply to every socket/engine: protocols, suites, server order. */
  public SSLParameters sslParameters() {
    SSLParameters p = new SSLParameters(cipherSuites(), protocols());
    p.setUseCipherSuitesOrder(true);
    return p;
  }

  public X509Certificate currentCertificate() {
    return reloader.current().chain().get(0);
  }

  /** Checks the files now (tests; the poller does this on its own). */
  public boolean reloadNow() {
    return reloader.checkNow();
  }

  @Override
  public void close() {
    reloader.close();
  }

  private record Source(Path certFile, Path keyFile)
      implements PolledValue.Source<byte[][], Material> {
    private static final AtomicInteger GENERATION = new AtomicInteger();
    // A certificate chain and its key are a few KiB.
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    @Override
    public PolledValue.Snapshot<byte[][]> read() throws Exception {
      FileContent cert = FileContent.read(certFile, MAX_FILE_BYTES);
      FileContent key = FileContent.read(keyFile, MAX_FILE_BYTES);
      return new PolledValue.Snapshot<>(new byte[][] {cert.bytes(), key.bytes()},
          cert.identity() + "\n" + key.identity());
    }

    @Override
    public Material build(byte[][] raw) throws Exception {
      List<X509Certificate> chain = PemFiles.certificates(raw[0]);
      PrivateKey key = PemFiles.privateKey(raw[1]);
      X509Certificate leaf = chain.get(0);
      for (int i = 1; i < chain.size(); i++) {
        if (!chain.get(i).getSubjectX500Principal()
            .equals(chain.get(i - 1).getIssuerX500Principal())) {
          throw new InvalidPolicyException("tls.crt: certificate " + (i + 1)
              + " did not issue certificate " + i + "; list the chain leaf first");
        }
      }
      if (!matches(key, leaf)) {
        throw new InvalidPolicyException("tls.key does not belong to the certificate in tls.crt");
      }
      if (leaf.getNotAfter().toInstant().isBefore(Instant.now())) {
        LOG.warn("tls: the certificate for {} expired at {}", leaf.getSubjectX500Principal(),
            leaf.getNotAfter().toInstant());
      }
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      String alias = "tls-" + GENERATION.incrementAndGet();
      store.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(store, password);
      LOG.info("tls: serving the certificate for {} (expires {})", leaf.getSubjectX500Principal(),
          leaf.getNotAfter().toInstant());
      return new Material(chain, (X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
    }

    private static boolean matches(PrivateKey key, X509Certificate cert)
        throws GeneralSecurityException, InvalidPolicyException {
      String alg = switch (key.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        default -> throw new InvalidPolicyException("tls.key: only RSA and EC keys are supported");
      };
      if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
        return false;
      }
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    }
  }

  /**
   * Serves the current material; keeps the previous one so a handshake that picked its alias just
   * before a switch still finds its key.
   */
  static final class SwitchingKeyManager extends X509ExtendedKeyManager {
    private volatile Material current;
    private volatile Material previous;

    synchronized void use(Material next) {
      previous = current;
      current = next;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current.keyManager().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return current.keyManager().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return current.keyManager().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      for (Material m : candidates()) {
        X509Certificate[] chain = m.keyManager().getCertificateChain(alias);
        if (chain != null) {
          return chain;
        }
      }
      return null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      for (Material m : candidates()) {
        PrivateKey key = m.keyManager().getPrivateKey(alias);
        if (key != null) {
          return key;
        }
      }
      return null;
    }

    private List<Material> candidates() {
      List<Material> list = new ArrayList<>(2);
      Material c = current;
      Material p = previous;
      list.add(c);
      if (p != null) {
        list.add(p);
      }
      return list;
    }

    // Server side only: the issuer presents no client certificate.
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return null;
    }
  }
}
