package io.macp.operator.policy;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.keyset.ActivationGate;
import io.macp.keyset.IssuerSettings;
import io.macp.keyset.KeySpec;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid MacpIssuer spec, parsed, defaulted and validated once per reconcile ({@link
 * IssuerSpecValidator#validate}): everything the key timeline, the reconciler, the dependents'
 * {@code desired()} and their preconditions need from the spec, so none of them reads the spec
 * again. The reconciler hands it to the dependents through the JOSDK context ({@link #KEY}). The
 * issuer's identity (name, namespace, uid) stays the primary's metadata.
 *
 * <p>The Kubernetes objects it carries (resources, tolerations, affinity, selectors) are the
 * validator's own copies, never the primary's; builders copy them again into what they build, so
 * nothing built aliases this record either.
 *
 * @param rotation the rotation policy (durations parsed)
 * @param keySpec the kind of key to generate
 * @param defaultTokenTtl TTL of a token when the mint request asks for none
 * @param maxTokenTtl the longest TTL a token may get
 * @param issuerClaim the {@code iss} claim (spec.issuer, else the Service URL)
 * @param mintPolicyJson the rendered and validated mint policy file, or null when the pods get none
 * @param activationGate spec.rotation.activationGate (Off when unset)
 * @param audience spec.audience, the {@code aud} claim
 * @param service spec.service
 * @param pod what the pod template takes from the spec
 * @param mint spec.mint as the objects and mounts it needs
 * @param retainKeysOnDelete spec.retainKeysOnDelete: the key Secret outlives the issuer
 * @param verifierSelector spec.verifiers.selector, or null when spec.verifiers is unset (declared
 *     verifiers are then not read at all; docs/verifiers.md)
 */
public record IssuerPolicy(
    RotationPolicy rotation,
    KeySpec keySpec,
    Duration defaultTokenTtl,
    Duration maxTokenTtl,
    String issuerClaim,
    String mintPolicyJson,
    ActivationGate activationGate,
    String audience,
    ServiceSettings service,
    PodSettings pod,
    MintSettings mint,
    boolean retainKeysOnDelete,
    VerifierSelector verifierSelector) {

  /** Where the reconciler puts it in {@code managedWorkflowAndDependentResourceContext()}. */
  public static final String KEY = IssuerPolicy.class.getName();

  /**
   * The key timeline's part only, with the activation gate Off and everything else as for a spec
   * that sets nothing else (the model's defaults): for simulations and tests.
   */
  public IssuerPolicy(RotationPolicy rotation, KeySpec keySpec, Duration defaultTokenTtl,
      Duration maxTokenTtl, String issuerClaim, String mintPolicyJson) {
    this(rotation, keySpec, defaultTokenTtl, maxTokenTtl, issuerClaim, mintPolicyJson,
        ActivationGate.OFF, Defaults.POLICY.audience(), Defaults.POLICY.service(),
        Defaults.POLICY.pod(), Defaults.POLICY.mint(), Defaults.POLICY.retainKeysOnDelete(),
        null);
  }

  /**
   * What the issuer pods read from the key set instead of their env, so that changing it is a
   * key-set write and never a pod-template change (no restart; see docs/rotation.md).
   */
  public IssuerSettings issuerSettings() {
    return new IssuerSettings(defaultTokenTtl, maxTokenTtl, rotation.verifierCacheTtl());
  }

  /**
   * spec.service.
   *
   * @param type ClusterIP, NodePort or LoadBalancer
   * @param port the Service port of everything, the mint included (1..65535)
   * @param publicPort the Service port of the public endpoints: JWKS, discovery, health, metrics
   */
  public record ServiceSettings(String type, int port, int publicPort) {}

  /**
   * What the issuer pods' template takes from the spec, defaulted.
   *
   * @param replicas spec.replicas (at least 1)
   * @param image spec.image, else the operator's default issuer image
   * @param resources spec.resources, else the built-in requests and limits
   * @param labels spec.podLabels (empty when unset); the operator's own labels go over them
   * @param annotations the default pod annotations overridden by spec.podAnnotations
   * @param nodeSelector spec.nodeSelector (empty when unset)
   * @param tolerations spec.tolerations (empty when unset)
   * @param affinity spec.affinity, or null
   * @param priorityClassName spec.priorityClassName, or null
   * @param topologySpread spec.topologySpreadConstraints; null when unset, which means the
   *     default spreading over nodes and zones (it selects the issuer's own pods, so the builder
   *     renders it)
   * @param imagePullSecrets spec.imagePullSecrets (empty when unset)
   */
  public record PodSettings(
      int replicas,
      String image,
      ResourceRequirements resources,
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      Affinity affinity,
      String priorityClassName,
      List<TopologySpreadConstraint> topologySpread,
      List<LocalObjectReference> imagePullSecrets) {}

  /**
   * The effective mint security: which objects and mounts it needs. One place, so the Deployment,
   * the dependents' preconditions and the status never disagree.
   *
   * @param authentication spec.mint.authentication
   * @param sharedSecretName spec.mint.sharedSecretRef in SharedSecret mode, else null
   * @param tlsSecretName spec.mint.tls.secretName, or null without TLS
   * @param allowedFrom spec.mint.allowedFrom (empty when unset)
   * @param sharedSecretClients the bound clients' sharedSecret names (the Secret's data keys)
   * @param clients how many clients spec.mint.clients binds
   */
  public record MintSettings(
      AuthenticationMode authentication,
      String sharedSecretName,
      String tlsSecretName,
      List<MintPeerSpec> allowedFrom,
      List<String> sharedSecretClients,
      int clients) {

    /**
     * Whether the pods get a policy file. Not with None: a policy of None and no clients is what
     * the issuer does without one, and the pods then need no ConfigMap.
     */
    public boolean policyWanted() {
      return authentication != AuthenticationMode.NONE;
    }

    public boolean serviceAccountMode() {
      return authentication == AuthenticationMode.SERVICE_ACCOUNT;
    }

    public Optional<String> sharedSecret() {
      return Optional.ofNullable(sharedSecretName);
    }

    public Optional<String> tlsSecret() {
      return Optional.ofNullable(tlsSecretName);
    }

    public boolean tlsEnabled() {
      return tlsSecretName != null;
    }

    /** A NetworkPolicy only for a non-empty allowedFrom: an empty "from" would admit everyone. */
    public boolean networkPolicyWanted() {
      return !allowedFrom.isEmpty();
    }
  }

  /** The policy of a spec that sets nothing, made on first use. */
  private static final class Defaults {
    static final IssuerPolicy POLICY = IssuerSpecValidator.defaults();
  }
}
