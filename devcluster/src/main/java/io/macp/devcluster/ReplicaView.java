package io.macp.devcluster;

import java.net.URI;
import java.nio.file.Path;

/**
 * One issuer replica as the kubelet simulator sees it at one moment.
 *
 * @param pod the simulated pod's name; a new one after each restart
 * @param baseUri http://127.0.0.1:port, or null before the issuer has started
 * @param ready the last {@code /readyz} probe answered 200
 * @param keysDir the directory the issuer reads its key set from ({@code keysDir/keyset.json})
 * @param publicBaseUri the public endpoints (JWKS, discovery, health, metrics; never the mint):
 *     equal to baseUri unless the pod sets MACP_AUTH_PUBLIC_PORT; null before the issuer started
 * @param problem why the replica does not run (yet), or null
 */
public record ReplicaView(
    String namespace,
    String deployment,
    int index,
    String pod,
    String templateHash,
    URI baseUri,
    boolean ready,
    Path keysDir,
    URI publicBaseUri,
    String problem) {

  /** A replica seen before it had a public port or a problem to report. */
  public ReplicaView(String namespace, String deployment, int index, String pod,
      String templateHash, URI baseUri, boolean ready, Path keysDir) {
    this(namespace, deployment, index, pod, templateHash, baseUri, ready, keysDir, baseUri, null);
  }
}
