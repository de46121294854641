package io.macp.issuer.security.authn;

import io.macp.issuer.api.MintPolicyRules;
import java.util.Objects;

/**
 * The authenticated identity of a mint caller: {@code anonymous}, {@code secret:<name>} or
 * {@code sa:<namespace>/<name>}. Built only from validated names, so it can never carry a token.
 */
public final class CallerId {
  private static final CallerId ANONYMOUS = new CallerId("anonymous");

  private final String value;

  private CallerId(String value) {
    this.value = value;
  }

  public static CallerId anonymous() {
    return ANONYMOUS;
  }

  public static CallerId sharedSecret(String name) {
    MintPolicyRules.checkSharedSecretClient(name);
    return new CallerId("secret:" + name);
  }

  public static CallerId serviceAccount(String namespace, String name) {
    MintPolicyRules.checkServiceAccount(namespace, name);
    return new CallerId("sa:" + namespace + "/" + name);
  }

  /** Parses the policy spelling {@code namespace/name}. */
  public static CallerId serviceAccount(String namespaceSlashName) {
    String[] parts = MintPolicyRules.serviceAccount(namespaceSlashName);
    return new CallerId("sa:" + parts[0] + "/" + parts[1]);
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallerId other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
