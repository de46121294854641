package io.macp.operator.health;

import io.javaoperatorsdk.operator.Operator;
import java.util.function.BooleanSupplier;

/**
 * Ready once the operator started and every informer is healthy (synced and watching). With
 * leader election a standby replica is ready too: its informers run, it just does not reconcile.
 */
public final class OperatorReadiness implements BooleanSupplier {
  private final Operator operator;

  public OperatorReadiness(Operator operator) {
    this.operator = operator;
  }

  @Override
  public boolean getAsBoolean() {
    var runtime = operator.getRuntimeInfo();
    // allEventSourcesAreHealthy throws before start
    return runtime.isStarted() && runtime.allEventSourcesAreHealthy();
  }
}
