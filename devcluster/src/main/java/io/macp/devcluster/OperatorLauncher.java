package io.macp.devcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.macp.operator.MacpOperatorFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/** Starts one operator instance against a client; closing the handle stops that instance. */
@FunctionalInterface
public interface OperatorLauncher {
  AutoCloseable start(KubernetesClient client) throws Exception;

  /** The real MACP operator, without leader election (one instance at a time in embedded mode). */
  static OperatorLauncher macp(Clock clock) {
    return macp(clock, SimpleMeterRegistry::new);
  }

  /** As {@link #macp(Clock)}; each instance reports to a new registry from {@code registries}. */
  static OperatorLauncher macp(Clock clock, Supplier<MeterRegistry> registries) {
    return client -> {
      Operator operator = MacpOperatorFactory.create(client, registries.get(), clock, false);
      operator.start();
      return operator::stop;
    };
  }
}
