package io.macp.issuer.keys;

import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the key sources need from the issuer's configuration.
 *
 * @param keySetFile MACP_AUTH_KEYSET_FILE, or null
 * @param selfManaged MACP_AUTH_KEYSET_SELF_MANAGED: the issuer creates and rotates the file itself
 * @param signingKeyJson MACP_AUTH_SIGNING_KEY_JSON (a private JWK), or null
 * @param keySpec the algorithm (MACP_AUTH_SIGNING_ALG) and RSA size for keys the issuer makes
 * @param policy the rotation policy for self-managed rotation
 * @param pollInterval how often a watched file is checked (MACP_AUTH_KEYSET_POLL_INTERVAL)
 */
public record KeySourceSettings(
    Path keySetFile,
    boolean selfManaged,
    String signingKeyJson,
    KeySpec keySpec,
    RotationPolicy policy,
    Duration pollInterval) {

  /** Never prints the signing key. */
  @Override
  public String toString() {
    return "KeySourceSettings[keySetFile=" + keySetFile + ", selfManaged=" + selfManaged
        + ", signingKeyJson=" + (signingKeyJson == null ? "unset" : "set") + ", keySpec=" + keySpec
        + ", policy=" + policy + ", pollInterval=" + pollInterval + "]";
  }
}
