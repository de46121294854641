package io.macp.issuer.security;

import io.macp.issuer.api.IssuerEnvNames;
import io.macp.keyset.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The issuer's security settings from the environment, held by {@code IssuerConfig} so that the
 * standalone issuer and embedded ones get the same gate and transport from the same variables.
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
  static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);

  /** No policy file and no TLS: the reference's open, plain-HTTP mint. */
  public static SecuritySettings none() {
    return new SecuritySettings(null, null, null, DEFAULT_POLL_INTERVAL);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every problem
   */
  public static SecuritySettings fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    SecuritySettings settings = read(env, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return settings;
  }

  /**
   * Reads the settings, adding each problem to {@code problems} (for a caller that reports all of
   * its own problems together). The result is only meaningful when no problem was added.
   */
  public static SecuritySettings read(Map<String, String> env, List<String> problems) {
    Path policy = path(env, IssuerEnvNames.MINT_POLICY_FILE, problems);
    Path cert = path(env, IssuerEnvNames.TLS_CERT_FILE, problems);
    Path key = path(env, IssuerEnvNames.TLS_KEY_FILE, problems);
    if (isSet(env, IssuerEnvNames.TLS_CERT_FILE) != isSet(env, IssuerEnvNames.TLS_KEY_FILE)) {
      problems.add("set both MACP_AUTH_TLS_CERT_FILE and MACP_AUTH_TLS_KEY_FILE, or neither");
    }
    Duration interval = DEFAULT_POLL_INTERVAL;
    if (isSet(env, IssuerEnvNames.SECURITY_POLL_INTERVAL)) {
      try {
        interval = Durations.parse(env.get(IssuerEnvNames.SECURITY_POLL_INTERVAL).strip());
        if (interval.compareTo(MIN_POLL_INTERVAL) < 0) {
          problems.add("MACP_AUTH_SECURITY_POLL_INTERVAL must be at least 1s");
        }
      } catch (IllegalArgumentException e) {
        problems.add("MACP_AUTH_SECURITY_POLL_INTERVAL: " + e.getMessage());
      }
    }
    return new SecuritySettings(policy, cert, key, interval);
  }

  public boolean tlsEnabled() {
    return tlsCertFile != null;
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  private static Path path(Map<String, String> env, String name, List<String> problems) {
    if (!isSet(env, name)) {
      return null;
    }
    try {
      return Path.of(env.get(name).strip());
    } catch (IllegalArgumentException e) {
      problems.add(name + " is not a valid path: " + e.getMessage());
      return null;
    }
  }
}
