package io.macp.issuer.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The authenticated identity of a mint caller: {@code anonymous}, {@code secret:<name>} or
 * {@code sa:<namespace>/<name>}. Built only from validated names, so it can never carry a token.
 */
public final class CallerId {
  // DNS-1123 subdomain (namespaces and ServiceAccount names are at least that strict).
  private static final Pattern K8S_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  // A shared-secret client: a Secret data key without '.', which starts a rotation suffix.
  private static final Pattern SECRET_CLIENT = Pattern.compile("^[-_a-zA-Z0-9]{1,253}$");

  private static final CallerId ANONYMOUS = new CallerId("anonymous");

  private final String value;

  private CallerId(String value) {
    this.value = value;
  }

  public static CallerId anonymous() {
    return ANONYMOUS;
  }

  public static CallerId sharedSecret(String name) {
    if (name == null || !SECRET_CLIENT.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a shared-secret client name may only use letters, digits, '-' and '_'");
    }
    return new CallerId("secret:" + name);
  }

  public static CallerId serviceAccount(String namespace, String name) {
    if (namespace == null || name == null || !K8S_NAME.matcher(namespace).matches()
        || !K8S_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a ServiceAccount is written namespace/name with lower-case DNS names");
    }
    return new CallerId("sa:" + namespace + "/" + name);
  }

  /** Parses the policy spelling {@code namespace/name}. */
  public static CallerId serviceAccount(String namespaceSlashName) {
    String[] parts = namespaceSlashName == null ? new String[0] : namespaceSlashName.split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "a ServiceAccount is written namespace/name, not '" + namespaceSlashName + "'");
    }
    return serviceAccount(parts[0], parts[1]);
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
