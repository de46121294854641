package io.macp.devcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.macp.keyset.KeyGenerator;
import io.macp.operator.MacpOperatorFactory;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.verifiers.ObserverClient;
import io.macp.operator.verifiers.PodVerifierCoverageSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Starts one operator instance against a client; closing the handle stops that instance. */
@FunctionalInterface
public interface OperatorLauncher {
  AutoCloseable start(KubernetesClient client) throws Exception;

  /** As {@link #start(KubernetesClient)}, beside the cluster's kubelet (for replica addresses). */
  default AutoCloseable start(KubernetesClient client, KubeletSimulator kubelet) throws Exception {
    return start(client);
  }

  /** The real MACP operator, without leader election (one instance at a time in embedded mode). */
  static OperatorLauncher macp(Clock clock) {
    return macp(clock, SimpleMeterRegistry::new);
  }

  /**
   * As {@link #macp(Clock)}; each instance reports to a new registry from {@code registries}. The
   * activation gate reads the replicas where the kubelet simulator runs them (loopback ports, as
   * the simulated pods have no pod IP), with the same client, token and TLS rules as in a cluster.
   */
  static OperatorLauncher macp(Clock clock, Supplier<MeterRegistry> registries) {
    return new OperatorLauncher() {
      @Override
      public AutoCloseable start(KubernetesClient client) throws Exception {
        return launch(client, null);
      }

      @Override
      public AutoCloseable start(KubernetesClient client, KubeletSimulator kubelet) {
        return launch(client, kubelet);
      }

      private AutoCloseable launch(KubernetesClient client, KubeletSimulator kubelet) {
        Operator operator = kubelet == null
            ? MacpOperatorFactory.create(client, registries.get(), clock, false)
            : MacpOperatorFactory.create(client, registries.get(), clock, false,
                KeyGenerator.secure(), new PodVerifierCoverageSource(client, new ObserverClient(),
                    issuer -> replicaAddresses(kubelet, issuer.getMetadata().getNamespace(),
                        IssuerNames.deployment(issuer))));
        operator.start();
        return operator::stop;
      }
    };
  }

  /** The mint-port base URIs of a Deployment's started in-process replicas. */
  static List<URI> replicaAddresses(KubeletSimulator kubelet, String namespace, String deployment) {
    return kubelet.replicas(namespace, deployment).stream()
        .map(ReplicaView::baseUri).filter(Objects::nonNull).toList();
  }
}
