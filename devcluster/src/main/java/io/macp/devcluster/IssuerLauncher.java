package io.macp.devcluster;

import java.net.URI;
import java.util.Map;

/**
 * Starts the process behind one replica: in embedded mode an in-process issuer server. The kubelet
 * simulator only needs a base URL that answers {@code /readyz}, and a way to stop it.
 */
@FunctionalInterface
public interface IssuerLauncher {
  /** @param env the container env, already pointed at the replica's files and an ephemeral port */
  Running start(Map<String, String> env) throws Exception;

  /** A started replica. */
  interface Running extends AutoCloseable {
    /** The main port: everything, POST /tokens included. */
    URI baseUri();

    /** The public endpoints (MACP_AUTH_PUBLIC_PORT), where probes go; the main one without it. */
    default URI publicBaseUri() {
      return baseUri();
    }

    @Override
    void close();
  }
}
