package io.macp.devcluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.macp.keyset.RotationPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One issuer Deployment as the {@link KubeletSimulator} runs it: its latest object and pod spec,
 * one {@link Slot} per replica index, and the restarts counted so far. Touched on the simulator's
 * loop thread only.
 */
final class SimulatedDeployment {
  final String namespace;
  final String name;
  Deployment latest;
  IssuerPodSpec spec;
  Duration declaredDelay = RotationPolicy.DEFAULTS.propagationDelay();
  final List<Slot> slots = new ArrayList<>();
  final List<String> templateHistory = new ArrayList<>();
  int restarts;

  SimulatedDeployment(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  Duration maxKubeletDelay() {
    return DeclaredPropagation.kubeletBound(declaredDelay, spec);
  }

  /** The pods not stopped: each slot's current one and, during a rollout, its replacement. */
  List<SimulatedPod> livePods() {
    List<SimulatedPod> pods = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.current != null && !slot.current.stopped) {
        pods.add(slot.current);
      }
      if (slot.next != null && !slot.next.stopped) {
        pods.add(slot.next);
      }
    }
    return pods;
  }

  /** One replica index: the pod serving it, and during a rollout its replacement. */
  static final class Slot {
    final int index;
    SimulatedPod current;
    SimulatedPod next;

    Slot(int index) {
      this.index = index;
    }
  }
}
