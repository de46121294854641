package io.macp.keyset;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC, native) first in the JVM's provider list, so the
 * RSA and ECDSA signatures on the mint path run several times faster than the JDK's. When its
 * native library can't load on this machine, the JDK's providers stay in charge: slower, correct.
 * Process-wide, so only main methods call it (issuer, operator, dev cluster); embedders decide
 * for themselves. Here because key generation (KeyGenerator) is what the operator speeds up.
 */
public final class NativeCrypto {
  private NativeCrypto() {}

  /** Installs the native provider if it works here; returns which provider signs, for the log. */
  public static String install() {
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        return "JDK (native provider unavailable: " + accp.getLoadingError().getMessage() + ")";
      }
      AmazonCorrettoCryptoProvider.install();
      accp.assertHealthy();
      return "ACCP " + accp.getVersionStr() + " (" + accp.getAwsLcVersionStr() + ")";
    } catch (Throwable e) {
      // Never fail startup over an optimisation; undo a half-done install.
      Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
      return "JDK (native provider failed: " + e.getClass().getSimpleName() + ")";
    }
  }
}
