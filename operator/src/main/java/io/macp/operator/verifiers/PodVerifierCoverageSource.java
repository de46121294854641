package io.macp.operator.verifiers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.keyset.VerifierCoverage;
import io.macp.operator.policy.IssuerEndpoints;
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
 * Secret ({@code observer-token}). With {@code spec.mint.tls} the pods are asked over HTTPS and
 * each must first prove to be the issuer Service ({@link ObserverTls}): trust anchors from the
 * {@code ca.crt} of the TLS Secret (one GET by name, under the existing secrets grant; only that
 * key is read, nothing is kept), else the JVM's default trust store. At most
 * {@link #MAX_REPLICAS} pods are asked; more running pods make the view incomplete (a failure
 * line says so).
 */
public final class PodVerifierCoverageSource implements VerifierCoverageSource {
  static final int MAX_REPLICAS = MacpIssuerSpec.MAX_REPLICAS;

  /**
   * Where an issuer's replicas take requests: the {@code http://host:port} of each running
   * replica's mint port (at most {@link #MAX_REPLICAS} are asked). In a cluster, the pods' IPs and
   * the container port; the embedded cluster gives its in-process replicas' loopback ports.
   */
  @FunctionalInterface
  public interface ReplicaAddresses {
    List<URI> of(MacpIssuer issuer);
  }

  private final KubernetesClient client;
  private final ObserverClient observer;
  private final ReplicaAddresses replicas;

  public PodVerifierCoverageSource(KubernetesClient client, ObserverClient observer) {
    this(client, observer, IssuerNames.CONTAINER_PORT);
  }

  /** @param port the issuer container's mint port (tests use a free one) */
  PodVerifierCoverageSource(KubernetesClient client, ObserverClient observer, int port) {
    this(client, observer, issuer -> runningPods(client, issuer, port));
  }

  /** With replicas found elsewhere than by listing pods (the embedded cluster). */
  public PodVerifierCoverageSource(KubernetesClient client, ObserverClient observer,
      ReplicaAddresses replicas) {
    this.client = client;
    this.observer = observer;
    this.replicas = replicas;
  }

  @Override
  public Optional<ObserverClient.Collected> collect(MacpIssuer issuer,
      Optional<String> tlsSecret) {
    String ns = issuer.getMetadata().getNamespace();
    Secret keys = client.secrets().inNamespace(ns).withName(IssuerNames.keySecret(issuer)).get();
    Optional<String> token = token(keys);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    List<URI> running = this.replicas.of(issuer);
    List<URI> replicas = running.stream().limit(MAX_REPLICAS).toList();
    if (replicas.isEmpty()) {
      return Optional.empty();
    }
    Optional<ObserverClient.Collected> collected = Optional.of(collect(issuer, tlsSecret, ns,
        token.get(), replicas));
    int unasked = running.size() - replicas.size();
    if (unasked <= 0) {
      return collected;
    }
    ObserverClient.Collected c = collected.get();
    List<String> failures = new ArrayList<>(c.failures());
    failures.add(unasked + " more running replicas not asked (at most " + MAX_REPLICAS + ")");
    return Optional.of(new ObserverClient.Collected(c.coverage(), c.reached(), failures));
  }

  private ObserverClient.Collected collect(MacpIssuer issuer, Optional<String> tlsSecret,
      String ns, String token, List<URI> replicas) {
    if (tlsSecret.isEmpty()) {
      return observer.collect(replicas, token);
    }
    ObserverTls tls;
    try {
      tls = ObserverTls.of(IssuerEndpoints.certificateNames(issuer),
          caCertificate(ns, tlsSecret.get()), tlsSecret.get());
    } catch (ObserverClient.ObserverException e) {
      // no replica is asked: without trust anchors no replica can be authenticated
      return new ObserverClient.Collected(VerifierCoverage.merge(List.of()), 0,
          List.of(e.getMessage()));
    }
    List<URI> https = replicas.stream()
        .map(u -> URI.create("https://" + u.getRawAuthority())).toList();
    return observer.collect(https, token, Optional.of(tls));
  }

  /**
   * The {@code ca.crt} of the issuer's TLS Secret, empty when it has none. The GET returns the
   * whole Secret; only this key is read and nothing of it is kept or logged.
   */
  private Optional<byte[]> caCertificate(String ns, String secretName)
      throws ObserverClient.ObserverException {
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null) {
      throw new ObserverClient.ObserverException("TLS Secret " + secretName + " not found");
    }
    String b64 = secret.getData() == null ? null : secret.getData().get(ObserverTls.CA_KEY);
    if (b64 == null || b64.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(b64));
    } catch (IllegalArgumentException e) {
      throw new ObserverClient.ObserverException(
          ObserverTls.CA_KEY + " of Secret " + secretName + " is not base64");
    }
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

  /** The issuer's running pods (by the Deployment's pod selector), at their pod IP and port. */
  private static List<URI> runningPods(KubernetesClient client, MacpIssuer issuer, int port) {
    List<URI> replicas = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(issuer.getMetadata().getNamespace())
        .withLabels(IssuerNames.podSelector(issuer)).list().getItems()) {
      if (pod.getStatus() == null || pod.getStatus().getPodIP() == null
          || !"Running".equals(pod.getStatus().getPhase())
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      replicas.add(URI.create("http://" + host(pod.getStatus().getPodIP()) + ":" + port));
    }
    return replicas;
  }

  private static String host(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }
}
