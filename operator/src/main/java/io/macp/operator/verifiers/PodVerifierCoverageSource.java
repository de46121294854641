package io.macp.operator.verifiers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's source of the verifiers' view: the issuer's running pods (by the Deployment's pod
 * selector, in the issuer's namespace; RBAC {@code get, list} on pods) each asked for
 * {@code GET /verifiers} on the mint port, with the observer token the operator keeps in the key
 * Secret ({@code observer-token}). Needs plain HTTP on the mint port: with {@code spec.mint.tls}
 * the replicas answer HTTPS with a certificate the operator does not trust, the reads fail and
 * nothing is known (status NotCollected). At most {@link #MAX_REPLICAS} pods are asked.
 */
public final class PodVerifierCoverageSource implements VerifierCoverageSource {
  static final int MAX_REPLICAS = 32;

  private final KubernetesClient client;
  private final ObserverClient observer;
  private final int port;

  public PodVerifierCoverageSource(KubernetesClient client, ObserverClient observer) {
    this(client, observer, IssuerNames.CONTAINER_PORT);
  }

  /** @param port the issuer container's mint port (tests use a free one) */
  PodVerifierCoverageSource(KubernetesClient client, ObserverClient observer, int port) {
    this.client = client;
    this.observer = observer;
    this.port = port;
  }

  @Override
  public Optional<ObserverClient.Collected> collect(MacpIssuer issuer) {
    String ns = issuer.getMetadata().getNamespace();
    Secret keys = client.secrets().inNamespace(ns).withName(IssuerNames.keySecret(issuer)).get();
    Optional<String> token = token(keys);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    List<URI> replicas = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(ns).withLabels(IssuerNames.podSelector(issuer))
        .list().getItems()) {
      if (pod.getStatus() == null || pod.getStatus().getPodIP() == null
          || !"Running".equals(pod.getStatus().getPhase())
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (replicas.size() < MAX_REPLICAS) {
        replicas.add(URI.create("http://" + host(pod.getStatus().getPodIP()) + ":" + port));
      }
    }
    if (replicas.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(observer.collect(replicas, token.get()));
  }

  /** The observer token kept in an issuer's key Secret, or empty when it has none (yet). */
  public static Optional<String> token(Secret secret) {
    if (secret == null || secret.getData() == null) {
      return Optional.empty();
    }
    String b64 = secret.getData().get(IssuerNames.OBSERVER_TOKEN_KEY);
    try {
      return b64 == null ? Optional.empty()
          : Optional.of(new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String host(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }
}
