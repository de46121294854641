package io.macp.devcluster.api;

import java.util.List;

/**
 * One resource type as discovery lists it.
 *
 * @param group "" for core
 * @param plural the URL segment, e.g. "macpissuers"
 * @param singular e.g. "macpissuer"
 * @param shortNames e.g. "mi"
 * @param subresources e.g. "status"
 */
public record ApiResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources) {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
