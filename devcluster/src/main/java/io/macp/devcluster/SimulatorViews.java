package io.macp.devcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The immutable views the {@link KubeletSimulator} publishes of its loop-thread state. */
final class SimulatorViews {
  private SimulatorViews() {}

  static KubeletSimulator.DeploymentView of(SimulatedDeployment state) {
    List<ReplicaView> replicas = new ArrayList<>();
    boolean serving = state.slots.size() == state.spec.replicas();
    for (SimulatedDeployment.Slot slot : state.slots) {
      replicas.add(of(state, slot.current));
      serving &= slot.next == null
          && slot.current.ready
          && slot.current.spec.templateHash().equals(state.spec.templateHash());
    }
    return new KubeletSimulator.DeploymentView(
        state.namespace,
        state.name,
        state.spec.generation(),
        state.spec.replicas(),
        state.spec.templateHash(),
        state.declaredDelay,
        state.maxKubeletDelay(),
        state.restarts,
        List.copyOf(state.templateHistory),
        List.copyOf(replicas),
        serving);
  }

  static ReplicaView of(SimulatedDeployment state, SimulatedPod pod) {
    Path keysDir = IssuerEnv.keysMount(pod.spec).map(pod::volumeDir).orElse(null);
    return new ReplicaView(
        state.namespace,
        state.name,
        pod.index,
        pod.name,
        pod.spec.templateHash(),
        pod.running == null ? null : pod.running.baseUri(),
        pod.ready,
        keysDir,
        pod.running == null ? null : pod.running.publicBaseUri(),
        pod.lastProblem);
  }
}
