package io.macp.devcluster;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * One simulated issuer pod: its directory with the projected volumes, the issuer it runs and its
 * readiness. Touched on the {@link KubeletSimulator}'s loop thread only.
 */
final class SimulatedPod {
  final String name;
  final int index;
  final IssuerPodSpec spec;
  final Path dir;
  final Map<String, SecretVolumeWriter> volumes = new LinkedHashMap<>();
  final Map<String, ScheduledFuture<?>> pendingSyncs = new HashMap<>();
  /** volume -> the resourceVersion of the Secret or ConfigMap its files hold */
  final Map<String, String> volumeVersions = new HashMap<>();
  IssuerLauncher.Running running;
  boolean ready;
  boolean announced;
  boolean probing;
  boolean stopped;
  long updateCounter;
  Instant lastFailedStart;
  String lastProblem;

  SimulatedPod(String name, int index, IssuerPodSpec spec, Path dir) {
    this.name = name;
    this.index = index;
    this.spec = spec;
    this.dir = dir;
  }

  /** Where the volume's files are: see {@link #replicaPath}. */
  Path volumeDir(IssuerPodSpec.ObjectVolume mount) {
    return replicaPath(dir, mount.mountPath());
  }

  /**
   * A mount path inside the replica's directory, laid out like the pod's file system
   * ({@code <pod>/root/var/run/macp/mint-policy}): paths relative to one mount, like the mint
   * policy's {@code ../mint-tokens}, find the neighbouring mount as in a pod.
   *
   * @throws IllegalArgumentException for a mount path that is not absolute or leaves the root
   */
  static Path replicaPath(Path podDir, String mountPath) {
    Path root = podDir.resolve("root");
    if (mountPath == null || !mountPath.startsWith("/")) {
      throw new IllegalArgumentException("mount path '" + mountPath + "' must be absolute");
    }
    Path path = root.resolve(mountPath.substring(1)).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("mount path '" + mountPath + "' must name a directory below /");
    }
    return path;
  }
}
