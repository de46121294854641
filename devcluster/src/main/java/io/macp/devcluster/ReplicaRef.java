package io.macp.devcluster;

/**
 * One replica slot of an issuer Deployment.
 *
 * @param index 0-based; a rolling restart keeps the index and changes the pod
 * @param replicas how many replicas the Deployment asks for at this moment
 */
public record ReplicaRef(String namespace, String deployment, int index, int replicas) {
  /** Stable across restarts and JVMs: seeds the replica's delays. */
  public String key() {
    return namespace + "/" + deployment + "/" + index;
  }
}
