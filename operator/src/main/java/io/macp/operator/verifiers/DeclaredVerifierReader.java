package io.macp.operator.verifiers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.VerifierSelector;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.verifiers.DeclaredVerifierCheck.ConfigMaps;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Workload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads the declared verifier workloads of an issuer (spec.verifiers): a plain list of
 * Deployments, StatefulSets and DaemonSets by the selector in the issuer's namespace (RBAC
 * {@code list} on each), and a get of each ConfigMap their containers take env from (RBAC
 * {@code get} on configmaps, granted already; at most {@value #MAX_CONFIGMAPS}). Never a Secret,
 * never a watch: nothing of these objects stays in memory but the last answer per issuer.
 *
 * <p>Cost bound: one read per issuer per {@link #CACHE_FOR} (status writes re-trigger the
 * reconcile; they get the cached answer), re-read at once when the selector or the issuer's
 * generation changes; at most {@value #MAX_PER_KIND} objects of each kind are asked for. Objects
 * the operator manages itself (its label {@code app.kubernetes.io/managed-by}) are skipped.
 */
public final class DeclaredVerifierReader {
  public static final Duration CACHE_FOR = Duration.ofSeconds(60);
  public static final int MAX_PER_KIND = 50;
  static final int MAX_CONFIGMAPS = 16;

  /** What one read gave. */
  public sealed interface Read permits Listed, Failed {}

  /**
   * @param truncated whether a kind had more than {@value #MAX_PER_KIND} matches (the rest were
   *     not checked)
   */
  public record Listed(List<Workload> workloads, ConfigMaps configMaps, boolean truncated)
      implements Read {
    public Listed {
      workloads = List.copyOf(workloads);
    }
  }

  /** @param message why, and what the operator would need (names no value) */
  public record Failed(String message) implements Read {}

  private record Entry(VerifierSelector selector, Long generation, Instant at, Read read) {}

  private final Clock clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public DeclaredVerifierReader(Clock clock) {
    this.clock = clock;
  }

  /** The workloads of spec.verifiers, from the cache when it is younger than {@link #CACHE_FOR}. */
  public Read read(KubernetesClient client, MacpIssuer issuer, VerifierSelector selector) {
    String key = key(issuer);
    Instant now = clock.instant();
    Long generation = issuer.getMetadata().getGeneration();
    Entry e = cache.get(key);
    if (e != null && e.selector().equals(selector) && java.util.Objects.equals(e.generation(),
        generation) && now.isBefore(e.at().plus(CACHE_FOR)) && !now.isBefore(e.at())) {
      return e.read();
    }
    Read read = readNow(client, issuer.getMetadata().getNamespace(), selector);
    cache.put(key, new Entry(selector, generation, now, read));
    return read;
  }

  /** Drops what was kept for an issuer (deleted, or spec.verifiers unset). */
  public void forget(MacpIssuer issuer) {
    cache.remove(key(issuer));
  }

  private static String key(MacpIssuer issuer) {
    return issuer.getMetadata().getNamespace() + "/" + issuer.getMetadata().getName();
  }

  private static Read readNow(KubernetesClient client, String ns, VerifierSelector selector) {
    ListOptions options = new ListOptionsBuilder().withLimit((long) MAX_PER_KIND).build();
    List<Workload> workloads = new ArrayList<>();
    boolean truncated = false;
    String kind = "deployments";
    try {
      truncated |= add(workloads, "Deployment", ns, client.apps().deployments().inNamespace(ns)
          .withLabelSelector(selector.toLabelSelector()).list(options),
          d -> template(d.getSpec() == null ? null : d.getSpec().getTemplate()));
      kind = "statefulsets";
      truncated |= add(workloads, "StatefulSet", ns, client.apps().statefulSets().inNamespace(ns)
          .withLabelSelector(selector.toLabelSelector()).list(options),
          s -> template(s.getSpec() == null ? null : s.getSpec().getTemplate()));
      kind = "daemonsets";
      truncated |= add(workloads, "DaemonSet", ns, client.apps().daemonSets().inNamespace(ns)
          .withLabelSelector(selector.toLabelSelector()).list(options),
          s -> template(s.getSpec() == null ? null : s.getSpec().getTemplate()));
    } catch (KubernetesClientException e) {
      return new Failed(e.getCode() == 403
          ? "the operator may not list " + kind + " in namespace " + ns + " (RBAC: list on"
              + " apps/" + kind + ", granted by the install manifests since spec.verifiers"
              + " exists; see docs/install.md), so spec.verifiers was not checked"
          : e.getCode() == 400
          ? "the API server refused spec.verifiers.selector (" + selector.describe() + ") when"
              + " listing " + kind + " (400): check its label names and values"
          : "listing " + kind + " in namespace " + ns + " failed (the API server answered "
              + e.getCode() + "), so spec.verifiers was not checked; it is retried");
    }
    Map<String, Map<String, String>> found = new HashMap<>();
    Set<String> missing = new HashSet<>();
    List<String> names = DeclaredVerifierCheck.referencedConfigMaps(workloads);
    for (String name : names.subList(0, Math.min(names.size(), MAX_CONFIGMAPS))) {
      try {
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
        if (cm == null) {
          missing.add(name);
        } else {
          found.put(name, cm.getData() == null ? Map.of() : Map.copyOf(cm.getData()));
        }
      } catch (KubernetesClientException e) {
        // not read: the check says its values are unknown
      }
    }
    return new Listed(workloads, new ConfigMaps(found, missing), truncated);
  }

  private static <T extends HasMetadata> boolean add(List<Workload> into, String kind, String ns,
      KubernetesResourceList<T> list, Function<T, PodSpec> pod) {
    int n = 0;
    for (T item : list.getItems()) {
      var labels = item.getMetadata().getLabels();
      if (labels != null && IssuerNames.MANAGED_BY.equals(labels.get(IssuerNames.MANAGED_BY_LABEL))) {
        continue; // the operator's own (an issuer's Deployment), never a verifier
      }
      if (n++ == MAX_PER_KIND) {
        return true;
      }
      into.add(new Workload(kind, item.getMetadata().getName(), ns, pod.apply(item)));
    }
    return list.getMetadata() != null && list.getMetadata().getContinue() != null
        && !list.getMetadata().getContinue().isEmpty();
  }

  private static PodSpec template(PodTemplateSpec template) {
    return template == null ? null : template.getSpec();
  }
}
