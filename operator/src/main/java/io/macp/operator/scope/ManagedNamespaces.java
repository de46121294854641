package io.macp.operator.scope;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The namespaces whose MacpIssuers the operator manages: every namespace (the cluster-wide
 * install, {@code deploy/}) or the set named by {@value #ENV} (the namespace-scoped install,
 * {@code deploy-namespaced/}). Outside this set the operator creates, binds and runs nothing and
 * writes no status, even for an issuer it happens to see.
 *
 * @param all whether every namespace is managed
 * @param namespaces the managed namespaces when not {@code all} (sorted, never empty)
 */
public record ManagedNamespaces(boolean all, Set<String> namespaces) {
  /** Comma-separated namespace names; unset or blank: every namespace. */
  public static final String ENV = "WATCH_NAMESPACES";

  /** RFC 1123 label: what Kubernetes accepts as a namespace name (at most 63 characters). */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public ManagedNamespaces {
    namespaces = Collections.unmodifiableSet(new TreeSet<>(namespaces));
    if (!all && namespaces.isEmpty()) {
      throw new IllegalArgumentException("a namespace-scoped operator needs at least one namespace");
    }
    if (all && !namespaces.isEmpty()) {
      throw new IllegalArgumentException("all namespaces or a set, not both");
    }
  }

  public static ManagedNamespaces allNamespaces() {
    return new ManagedNamespaces(true, Set.of());
  }

  public static ManagedNamespaces of(String... namespaces) {
    return new ManagedNamespaces(false, Set.of(namespaces));
  }

  /** From the process environment: {@value #ENV}. */
  public static ManagedNamespaces fromEnv(Map<String, String> env) {
    return parse(env.get(ENV));
  }

  /**
   * Parses {@value #ENV}: names separated by commas, spaces around them ignored. Unset or blank
   * means every namespace.
   *
   * @throws IllegalArgumentException for an empty entry ({@code "a,,b"}, a trailing comma), a
   *     name that is not a namespace name, or {@code "*"}: a typo must not widen the scope to the
   *     whole cluster, so it stops the start instead
   */
  public static ManagedNamespaces parse(String value) {
    if (value == null || value.isBlank()) {
      return allNamespaces();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String part : value.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(ENV + " has an empty entry: '" + value + "'");
      }
      if (!DNS_LABEL.matcher(name).matches()) {
        throw new IllegalArgumentException(ENV + ": '" + name + "' is not a namespace name"
            + " (lower-case letters, digits and '-', at most 63); leave " + ENV
            + " unset to manage every namespace");
      }
      names.add(name);
    }
    return new ManagedNamespaces(false, names);
  }

  /** Whether an object in this namespace is the operator's to manage. */
  public boolean contains(String namespace) {
    return namespace != null && (all || namespaces.contains(namespace));
  }

  /** For logs: {@code all namespaces} or {@code namespaces a, b}. */
  public String describe() {
    return all ? "all namespaces" : "namespaces " + String.join(", ", namespaces);
  }
}
