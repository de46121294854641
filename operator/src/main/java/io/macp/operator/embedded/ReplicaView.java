package io.macp.operator.embedded;

import java.net.URI;
import java.nio.file.Path;

/**
 * One issuer replica as the kubelet simulator sees it at one moment.
 *
 * @param pod the simulated pod's name; a new one after each restart
 * @param baseUri http://127.0.0.1:port, or null before the issuer has started
 * @param ready the last {@code /readyz} probe answered 200
 * @param keysDir the directory the issuer reads its key set from ({@code keysDir/keyset.json})
 */
public record ReplicaView(
    String namespace,
    String deployment,
    int index,
    String pod,
    String templateHash,
    URI baseUri,
    boolean ready,
    Path keysDir) {}
