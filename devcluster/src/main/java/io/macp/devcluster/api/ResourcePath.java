package io.macp.devcluster.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes resource URL path split into its parts: {@code /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]}
 * or {@code /apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME[/SUB]]}. A namespace object itself
 * ({@code /api/v1/namespaces/NAME}) is the plural "namespaces".
 *
 * @param group "" for the core group
 * @param namespace null when the path names no namespace
 * @param name null for a collection
 * @param subresource null, or e.g. "status"
 */
public record ResourcePath(
    String group, String version, String namespace, String plural, String name, String subresource) {

  public static Optional<ResourcePath> parse(String path) {
    List<String> p = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    int i;
    String group;
    String version;
    if (p.size() >= 3 && p.get(0).equals("api")) {
      group = "";
      version = p.get(1);
      i = 2;
    } else if (p.size() >= 4 && p.get(0).equals("apis")) {
      group = p.get(1);
      version = p.get(2);
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (p.get(i).equals("namespaces") && p.size() >= i + 3) {
      namespace = p.get(i + 1);
      i += 2;
    }
    String plural = p.get(i);
    String name = p.size() > i + 1 ? p.get(i + 1) : null;
    String sub = p.size() > i + 2 ? String.join("/", p.subList(i + 2, p.size())) : null;
    return Optional.of(new ResourcePath(group, version, namespace, plural, name, sub));
  }

  /** {@code group/version}, or {@code version} for the core group, as in apiVersion. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
