package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.issuer.api.IssuerEnvNames;
import io.macp.issuer.api.IssuerMounts;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerEndpoints;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerPolicy.MintSettings;
import io.macp.operator.policy.IssuerPolicy.PodSettings;
import io.macp.operator.policy.IssuerSpecValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The issuer pods' Deployment, from the issuer's name and namespace and its {@link IssuerPolicy}
 * (the spec as validated once by the reconcile); never from the spec itself.
 *
 * <p>The pod template must depend on nothing but the spec: keys change through the mounted Secret
 * (the kubelet swaps the files), so a rotation never rolls the pods. No key checksum, no timestamp.
 */
public final class IssuerDeploymentBuilder {
  /** Default spreading: nodes, and zones where nodes carry the well-known zone label. */
  public static final List<String> DEFAULT_SPREAD_KEYS =
      List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");
  public static final String CONTAINER_NAME = "issuer";
  public static final String PORT_NAME = "http";
  /** The public endpoints' port (JWKS, discovery, health, metrics); the probes use it. */
  public static final String PUBLIC_PORT_NAME = "public";
  public static final String KEYS_VOLUME = "keys";
  public static final String TMP_VOLUME = "tmp";
  public static final String MINT_POLICY_VOLUME = "mint-policy";
  public static final String MINT_TOKENS_VOLUME = "mint-tokens";
  public static final String TLS_VOLUME = "tls";
  public static final String SA_TOKEN_VOLUME = "issuer-sa-token";
  /** Short-lived: the kubelet refreshes the projected token long before it expires. */
  public static final long SA_TOKEN_EXPIRATION_SECONDS = 3600L;
  /** The CA bundle every namespace gets from kube-controller-manager. */
  public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
  public static final String TMP_PATH = "/tmp";
  /** distroless "nonroot" user and group */
  public static final long NON_ROOT_ID = 65532L;
  /** 0440: owner and group (fsGroup) may read, nobody writes; YAML shows it in decimal. */
  public static final int KEYS_FILE_MODE = 0440;
  public static final int TERMINATION_GRACE_SECONDS = 30;
  public static final String KEYSET_POLL_INTERVAL = "1s";
  /**
   * Heap well below the memory limit: the rest is metaspace, threads and Jetty buffers. Serial GC
   * because one small heap per pod gains nothing from a parallel collector.
   */
  public static final String JAVA_TOOL_OPTIONS =
      "-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private IssuerDeploymentBuilder() {}

  /** For a valid issuer, parsing its spec (tests); the reconcile passes its parsed policy. */
  public static Deployment build(MacpIssuer issuer) {
    return build(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  /** @param policy the spec as parsed by this reconcile */
  public static Deployment build(MacpIssuer issuer, IssuerPolicy policy) {
    PodSettings pod = policy.pod();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(IssuerNames.deployment(issuer))
        .withNamespace(issuer.getMetadata().getNamespace())
        .withLabels(sorted(IssuerNames.labels(issuer)))
        .endMetadata()
        .withNewSpec()
        .withReplicas(pod.replicas())
        .withRevisionHistoryLimit(3)
        .withNewSelector()
        .withMatchLabels(sorted(IssuerNames.podSelector(issuer)))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        // never below the declared replicas while a new template rolls out
        .withNewMaxUnavailable(0)
        .withNewMaxSurge(1)
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(podTemplate(issuer, policy))
        .endSpec()
        .build();
  }

  public static PodTemplateSpec podTemplate(MacpIssuer issuer) {
    return podTemplate(issuer, IssuerSpecValidator.policyOf(issuer));
  }

  public static PodTemplateSpec podTemplate(MacpIssuer issuer, IssuerPolicy policy) {
    PodSettings pod = policy.pod();
    MintSettings mint = policy.mint();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(podLabels(issuer, pod))
        .withAnnotations(new TreeMap<>(pod.annotations()))
        .endMetadata()
        .withNewSpec()
        // ServiceAccount mode mounts one projected token for TokenReviews instead (see volumes)
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(
            mint.serviceAccountMode() ? IssuerNames.issuerServiceAccount(issuer) : null)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds((long) TERMINATION_GRACE_SECONDS)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(NON_ROOT_ID)
                .withRunAsGroup(NON_ROOT_ID)
                .withFsGroup(NON_ROOT_ID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withContainers(container(issuer, policy))
        .withVolumes(volumes(issuer, mint))
        .withNodeSelector(pod.nodeSelector().isEmpty() ? Map.of() : sorted(pod.nodeSelector()))
        .withTolerations(copyAll(pod.tolerations()))
        .withAffinity(copy(pod.affinity()))
        .withPriorityClassName(pod.priorityClassName())
        .withTopologySpreadConstraints(topologySpread(issuer, pod))
        .withImagePullSecrets(copyAll(pod.imagePullSecrets()))
        .endSpec()
        .build();
  }

  /** spec.podLabels under the operator's own labels, which select the pods and so always win. */
  static Map<String, String> podLabels(MacpIssuer issuer, PodSettings pod) {
    Map<String, String> labels = new TreeMap<>(pod.labels());
    labels.putAll(IssuerNames.labels(issuer));
    return labels;
  }

  /**
   * spec.topologySpreadConstraints as given (an empty list: none); when unset, maxSkew 1 over
   * {@link #DEFAULT_SPREAD_KEYS} with ScheduleAnyway, so a lost node or zone never blocks a pod.
   */
  static List<TopologySpreadConstraint> topologySpread(MacpIssuer issuer, PodSettings pod) {
    if (pod.topologySpread() != null) {
      return copyAll(pod.topologySpread());
    }
    return DEFAULT_SPREAD_KEYS.stream()
        .map(key -> new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey(key)
            .withWhenUnsatisfiable("ScheduleAnyway")
            .withNewLabelSelector()
            .withMatchLabels(sorted(IssuerNames.podSelector(issuer)))
            .endLabelSelector()
            .build())
        .toList();
  }

  /** The pod template as YAML: what a rollout compares, so tests compare exactly this. */
  public static String podTemplateYaml(MacpIssuer issuer) {
    return SERIALIZATION.asYaml(podTemplate(issuer));
  }

  static Container container(MacpIssuer issuer, IssuerPolicy policy) {
    boolean tls = policy.mint().tlsEnabled();
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(policy.pod().image())
        .withImagePullPolicy("IfNotPresent")
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(IssuerNames.CONTAINER_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(PUBLIC_PORT_NAME)
        .withContainerPort(IssuerNames.PUBLIC_CONTAINER_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(issuer, policy))
        .withVolumeMounts(volumeMounts(policy.mint()))
        .withStartupProbe(httpProbe(tls, "/healthz", 1, 2, 30))
        .withLivenessProbe(httpProbe(tls, "/healthz", 0, 10, 3))
        .withReadinessProbe(httpProbe(tls, "/readyz", 0, 5, 3))
        .withResources(copy(policy.pod().resources()))
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build())
        .build();
  }

  /**
   * The issuer's configuration: what every pod of this spec shares and never changes live.
   *
   * @param policy the spec as parsed by this reconcile
   */
  static List<EnvVar> env(MacpIssuer issuer, IssuerPolicy policy) {
    MintSettings mint = policy.mint();
    Map<String, String> env = new LinkedHashMap<>();
    env.put(IssuerEnvNames.PORT, Integer.toString(IssuerNames.CONTAINER_PORT));
    // Always split, so the JWKS URL never moves when allowedFrom comes or goes; the main port
    // keeps serving everything, as the reference does.
    env.put(IssuerEnvNames.PUBLIC_PORT, Integer.toString(IssuerNames.PUBLIC_CONTAINER_PORT));
    IssuerEndpoints.discoveryPublicUrl(issuer, policy).ifPresent(url -> env.put(IssuerEnvNames.PUBLIC_URL, url));
    env.put(IssuerEnvNames.ISSUER, policy.issuerClaim());
    env.put(IssuerEnvNames.AUDIENCE, policy.audience());
    // No token TTLs, signing algorithm, RSA size or JWKS cache TTL here: each key in the key set
    // carries its alg, and the key set carries the TTLs and the JWKS max-age, which the pods
    // reload live. A change of any of them is a key-set write, never a restart (see
    // PodTemplateStabilityTest and docs/rotation.md).
    env.put(IssuerEnvNames.KEYSET_FILE, IssuerMounts.KEYSET_FILE);
    env.put(IssuerEnvNames.KEYSET_POLL_INTERVAL, KEYSET_POLL_INTERVAL);
    // Paths only: the policy and the Secrets' content reach the pods as files, reloaded live.
    if (mint.policyWanted()) {
      env.put(IssuerEnvNames.MINT_POLICY_FILE, IssuerMounts.MINT_POLICY_FILE);
    }
    if (mint.tlsEnabled()) {
      env.put(IssuerEnvNames.TLS_CERT_FILE, IssuerNames.TLS_MOUNT_PATH + "/" + IssuerNames.TLS_CERT_KEY);
      env.put(IssuerEnvNames.TLS_KEY_FILE, IssuerNames.TLS_MOUNT_PATH + "/" + IssuerNames.TLS_KEY_KEY);
    }
    // GET /verifiers for the operator's activation gate (docs/verifiers.md). Always set, the
    // token being in the key Secret whatever the gate's mode: turning the gate on or off is then
    // no pod-template change, so no restart.
    env.put(IssuerEnvNames.OBSERVER_TOKEN_FILE, IssuerMounts.OBSERVER_TOKEN_FILE);
    env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((name, value) -> vars.add(new EnvVar(name, value, null)));
    return vars;
  }

  /** Every mount is a whole directory, never subPath: subPath mounts never see updates. */
  private static List<VolumeMount> volumeMounts(MintSettings mint) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(readOnlyMount(KEYS_VOLUME, IssuerNames.KEYS_MOUNT_PATH));
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_PATH).build());
    if (mint.policyWanted()) {
      mounts.add(readOnlyMount(MINT_POLICY_VOLUME, IssuerNames.MINT_POLICY_MOUNT_PATH));
    }
    if (mint.sharedSecret().isPresent()) {
      mounts.add(readOnlyMount(MINT_TOKENS_VOLUME, IssuerNames.MINT_TOKENS_MOUNT_PATH));
    }
    if (mint.tlsEnabled()) {
      mounts.add(readOnlyMount(TLS_VOLUME, IssuerNames.TLS_MOUNT_PATH));
    }
    if (mint.serviceAccountMode()) {
      mounts.add(readOnlyMount(SA_TOKEN_VOLUME, IssuerNames.SA_TOKEN_MOUNT_PATH));
    }
    return mounts;
  }

  private static VolumeMount readOnlyMount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }

  private static List<Volume> volumes(MacpIssuer issuer, MintSettings mint) {
    List<Volume> volumes = new ArrayList<>(baseVolumes(issuer));
    if (mint.policyWanted()) {
      volumes.add(new VolumeBuilder()
          .withName(MINT_POLICY_VOLUME)
          .withNewConfigMap()
          .withName(IssuerNames.mintPolicyConfigMap(issuer))
          .withDefaultMode(KEYS_FILE_MODE)
          .withOptional(false)
          .endConfigMap()
          .build());
    }
    mint.sharedSecret().ifPresent(name -> volumes.add(secretVolume(MINT_TOKENS_VOLUME, name)));
    mint.tlsSecret().ifPresent(name -> volumes.add(secretVolume(TLS_VOLUME, name)));
    if (mint.serviceAccountMode()) {
      volumes.add(serviceAccountTokenVolume());
    }
    return volumes;
  }

  private static Volume secretVolume(String volume, String secretName) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewSecret()
        .withSecretName(secretName)
        .withDefaultMode(KEYS_FILE_MODE)
        // the operator checks the Secret exists before it rolls this template out
        .withOptional(false)
        .endSecret()
        .build();
  }

  /**
   * The pod's own token for TokenReview calls, audience the API server (the default), plus the
   * API server's CA. Only this volume carries a token: automounting stays off.
   */
  private static Volume serviceAccountTokenVolume() {
    return new VolumeBuilder()
        .withName(SA_TOKEN_VOLUME)
        .withNewProjected()
        .withDefaultMode(KEYS_FILE_MODE)
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath(IssuerNames.SA_TOKEN_FILE)
        .withExpirationSeconds(SA_TOKEN_EXPIRATION_SECONDS)
        .endServiceAccountToken()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName(ROOT_CA_CONFIG_MAP)
        .addNewItem()
        .withKey(IssuerNames.SA_CA_FILE)
        .withPath(IssuerNames.SA_CA_FILE)
        .endItem()
        .endConfigMap()
        .endSource()
        .endProjected()
        .build();
  }

  private static List<Volume> baseVolumes(MacpIssuer issuer) {
    return List.of(
        new VolumeBuilder()
            .withName(KEYS_VOLUME)
            .withNewSecret()
            .withSecretName(IssuerNames.keySecret(issuer))
            .withDefaultMode(KEYS_FILE_MODE)
            // a pod without its key set must not start: no optional mount
            .withOptional(false)
            .endSecret()
            .build(),
        new VolumeBuilder()
            .withName(TMP_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("16Mi"))
            .endEmptyDir()
            .build());
  }

  /**
   * On the public port, which the NetworkPolicy never restricts. HTTPS with TLS on: the kubelet
   * does not verify the certificate, so renewal never matters.
   */
  private static Probe httpProbe(
      boolean tls, String path, int initialDelay, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(PUBLIC_PORT_NAME)
        .withScheme(tls ? "HTTPS" : "HTTP")
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withTimeoutSeconds(2)
        .withSuccessThreshold(1)
        .withFailureThreshold(failures)
        .build();
  }

  /** Sorted, so the serialized template never depends on map iteration order. */
  private static Map<String, String> sorted(Map<String, String> map) {
    return new TreeMap<>(map);
  }

  private static <T> List<T> copyAll(List<T> values) {
    return values.stream().map(IssuerDeploymentBuilder::copy).toList();
  }

  /** Deep copy, so the Deployment never aliases (and a later edit never mutates) the policy. */
  private static <T> T copy(T value) {
    return value == null ? null : SERIALIZATION.clone(value);
  }
}
