package io.macp.issuer.security;

import io.macp.keyset.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The issuer's security settings from the environment.
 *
 * @param mintPolicyFile MACP_AUTH_MINT_POLICY_FILE, or null for the reference behaviour (no gate)
 * @param tlsCertFile MACP_AUTH_TLS_CERT_FILE, or null for plain HTTP
 * @param tlsKeyFile MACP_AUTH_TLS_KEY_FILE, set exactly when the certificate is
 * @param pollInterval MACP_AUTH_SECURITY_POLL_INTERVAL (default 10s): how often those files are
 *     checked for changes
 */
public record SecuritySettings(
    Path mintPolicyFile, Path tlsCertFile, Path tlsKeyFile, Duration pollInterval) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  public static SecuritySettings fromEnv(Map<String, String> env) {
    Path policy = path(env, "MACP_AUTH_MINT_POLICY_FILE");
    Path cert = path(env, "MACP_AUTH_TLS_CERT_FILE");
    Path key = path(env, "MACP_AUTH_TLS_KEY_FILE");
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "set both MACP_AUTH_TLS_CERT_FILE and MACP_AUTH_TLS_KEY_FILE, or neither");
    }
    String poll = env.get("MACP_AUTH_SECURITY_POLL_INTERVAL");
    Duration interval;
    try {
      interval = poll == null || poll.isBlank() ? DEFAULT_POLL_INTERVAL : Durations.parse(poll);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("MACP_AUTH_SECURITY_POLL_INTERVAL: " + e.getMessage());
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("MACP_AUTH_SECURITY_POLL_INTERVAL must be at least 1s");
    }
    return new SecuritySettings(policy, cert, key, interval);
  }

  public boolean tlsEnabled() {
    return tlsCertFile != null;
  }

  private static Path path(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : Path.of(v.strip());
  }
}
