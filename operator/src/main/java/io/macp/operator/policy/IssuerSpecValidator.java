package io.macp.operator.policy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.api.MintPolicyDocument;
import io.macp.keyset.Durations;
import io.macp.keyset.KeySpec;
import io.macp.keyset.ActivationGate;
import io.macp.keyset.RotationPolicy;
import io.macp.keyset.SigningAlgorithm;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerSpec;
import io.macp.operator.model.v1alpha1.MintClientSpec;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.model.v1alpha1.MintScopesSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.model.v1alpha1.ActivationGateSpec;
import io.macp.operator.model.v1alpha1.RotationSpec;
import io.macp.operator.model.v1alpha1.SigningSpec;
import io.macp.operator.model.v1alpha1.TokensSpec;
import io.macp.operator.model.v1alpha1.ServiceSpec;
import io.macp.operator.policy.IssuerPolicy.MintSettings;
import io.macp.operator.policy.IssuerPolicy.PodSettings;
import io.macp.operator.policy.IssuerPolicy.ServiceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a MacpIssuer spec to an {@link IssuerPolicy}, or to every reason it can't be used, each
 * naming the field and what to write instead. Pure: the same spec always gives the same answer, and
 * the CRD's schema and CEL rules refuse most of these before they get here; this is the last line
 * for clusters where the schema was not applied, and for the mock server, which checks nothing.
 *
 * <p>The one reader of the spec: the reconciler, the dependents and their preconditions read the
 * {@link IssuerPolicy} this returns (one pass per reconcile), never the spec. The defaults are the
 * model's own (field initializers kept for an absent field, an explicit {@code null} and an absent
 * {@code spec}); what the model cannot default (the operator's issuer image, the built-in
 * resources, the default pod annotations) is filled in here.
 */
public final class IssuerSpecValidator {
  private static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private IssuerSpecValidator() {}

  /**
   * The result of one validation: a policy, or the problems that prevent one.
   *
   * @param jwksUrl the status URL of the JWKS, or null when the issuer has no namespace; set for
   *     an invalid spec too (status shows where the endpoints are, whatever the problems)
   * @param mintUrl the status URL of POST /tokens, likewise
   */
  public record Result(Optional<IssuerPolicy> policy, List<String> problems, String jwksUrl,
      String mintUrl) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /** Every problem of the spec; empty when it is usable. */
  public static List<String> problems(MacpIssuerSpec spec) {
    MacpIssuer issuer = new MacpIssuer();
    issuer.setSpec(spec);
    return validate(issuer).problems();
  }

  public static Result validate(MacpIssuer issuer) {
    List<String> problems = new ArrayList<>();
    MacpIssuerSpec spec = issuer.getSpec();
    SigningSpec signing = spec.getSigning();
    TokensSpec tokens = spec.getTokens();
    RotationSpec rotation = spec.getRotation();

    KeySpec keySpec = keySpec(signing, problems);
    Duration defaultTtl = duration("spec.tokens.defaultTtl", tokens.getDefaultTtl(), problems);
    Duration maxTtl = duration("spec.tokens.maxTtl", tokens.getMaxTtl(), problems);
    Duration period = duration("spec.rotation.period", rotation.getPeriod(), problems);
    Duration cache =
        duration("spec.rotation.verifierCacheTtl", rotation.getVerifierCacheTtl(), problems);
    Duration grace =
        duration("spec.rotation.verifierStaleGrace", rotation.getVerifierStaleGrace(), problems);
    Duration propagation =
        duration("spec.rotation.propagationDelay", rotation.getPropagationDelay(), problems);
    Duration skew = duration("spec.rotation.clockSkew", rotation.getClockSkew(), problems);

    if (defaultTtl != null && maxTtl != null) {
      if (defaultTtl.isZero()) {
        problems.add("spec.tokens.defaultTtl must be longer than 0s");
      } else if (defaultTtl.compareTo(maxTtl) > 0) {
        problems.add(
            "spec.tokens.defaultTtl "
                + Durations.format(defaultTtl)
                + " is longer than spec.tokens.maxTtl "
                + Durations.format(maxTtl)
                + "; shorten defaultTtl or lengthen maxTtl");
      }
    }
    RotationPolicy policy = null;
    if (period != null && cache != null && grace != null && propagation != null && skew != null
        && maxTtl != null) {
      policy = new RotationPolicy(period, cache, grace, propagation, skew, maxTtl);
      for (String p : policy.problems()) {
        problems.add("spec.rotation: " + p);
      }
    }
    if (spec.getReplicas() != null && spec.getReplicas() < 1) {
      problems.add("spec.replicas must be at least 1 (got " + spec.getReplicas() + ")");
    }
    if (spec.getReplicas() != null && spec.getReplicas() > MacpIssuerSpec.MAX_REPLICAS) {
      problems.add("spec.replicas must be at most " + MacpIssuerSpec.MAX_REPLICAS + " (got "
          + spec.getReplicas() + "): the activation gate asks at most "
          + MacpIssuerSpec.MAX_REPLICAS + " pods which verifiers hold the next key");
    }
    bounds(spec, problems);
    if (spec.getAudience() != null && spec.getAudience().isBlank()) {
      problems.add("spec.audience must not be blank; leave it out for the default macp-runtime");
    }
    if (spec.getIssuer() != null && spec.getIssuer().isBlank()) {
      problems.add("spec.issuer must not be blank; leave it out for the Service's in-cluster URL");
    }
    ServiceSettings service = service(spec.getService());
    if (!SERVICE_TYPES.contains(service.type())) {
      problems.add(
          "spec.service.type '" + service.type() + "' is not one of ClusterIP, NodePort, LoadBalancer");
    }
    int port = service.port();
    if (port < 1 || port > 65535) {
      problems.add("spec.service.port must be between 1 and 65535 (got " + port + ")");
    }
    int publicPort = service.publicPort();
    if (publicPort < 1 || publicPort > 65535) {
      problems.add(
          "spec.service.publicPort must be between 1 and 65535 (got " + publicPort + ")");
    } else if (publicPort == port) {
      problems.add("spec.service.publicPort must differ from spec.service.port (both " + port
          + "): the public endpoints need a port of their own");
    }
    ActivationGate gate = activationGate(rotation.getActivationGate(), problems);
    boolean tls = tlsSecretName(spec.getMint()) != null;
    String claim = null;
    try {
      claim = issuerClaim(renderable(issuer), spec, service, tls);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage()); // a blank namespace: no Service URL
    }
    MintSettings mint = mint(spec.getMint(), problems);
    MintPolicyDocument mintPolicy = mint == null ? null : mintProblems(spec.getMint(), claim, problems);
    VerifierSelector verifierSelector = spec.getVerifiers() == null ? null
        : VerifierSelector.parse("spec.verifiers.selector", spec.getVerifiers().getSelector(),
            problems);
    String jwksUrl = null;
    String mintUrl = null;
    try {
      jwksUrl = IssuerEndpoints.jwksUrl(issuer, service, tls);
      mintUrl = IssuerEndpoints.mintUrl(issuer, service, tls);
    } catch (RuntimeException e) {
      // no namespace (a bare spec): no URL
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), problems, jwksUrl, mintUrl);
    }
    String mintPolicyJson = mint.policyWanted() ? mintPolicy.toJson() : null;
    return new Result(
        Optional.of(new IssuerPolicy(policy, keySpec, defaultTtl, maxTtl, claim, mintPolicyJson,
            gate, spec.getAudience(), service, pod(spec), mint, spec.isRetainKeysOnDelete(),
            verifierSelector)),
        List.of(), jwksUrl, mintUrl);
  }

  /**
   * The policy of a valid issuer.
   *
   * @throws IllegalArgumentException listing every problem of an invalid one
   */
  public static IssuerPolicy policyOf(MacpIssuer issuer) {
    Result result = validate(issuer);
    return result.policy().orElseThrow(
        () -> new IllegalArgumentException(String.join("; ", result.problems())));
  }

  /**
   * spec.retainKeysOnDelete alone, for the deletion of an issuer whose spec may no longer be
   * valid: a spec problem never decides whether keys are kept (they are, when in doubt).
   */
  public static boolean retainKeysOnDelete(MacpIssuer issuer) {
    return issuer.getSpec() == null || issuer.getSpec().isRetainKeysOnDelete();
  }

  /**
   * spec.mint rendered as the issuer's policy file, unvalidated: what the pods would read, also
   * for a spec the validator refuses (to show why).
   *
   * @throws IllegalArgumentException when the mode or a duration cannot be read
   */
  public static String renderMintPolicy(MacpIssuer issuer) {
    MacpIssuerSpec spec = issuer.getSpec();
    ServiceSettings service = service(spec.getService());
    String claim = issuerClaim(renderable(issuer), spec, service,
        tlsSecretName(spec.getMint()) != null);
    return MintPolicyRenderer.document(spec.getMint(), claim).toJson();
  }

  /** The policy of a spec that sets nothing: the model's defaults. */
  static IssuerPolicy defaults() {
    return policyOf(new MacpIssuer());
  }

  private static ServiceSettings service(ServiceSpec service) {
    return new ServiceSettings(service.getType(), service.getPort(), service.getPublicPort());
  }

  /** The {@code iss} the pods sign with: spec.issuer, else the Service's in-cluster URL. */
  private static String issuerClaim(MacpIssuer identity, MacpIssuerSpec spec,
      ServiceSettings service, boolean tls) {
    String issuerClaim = spec.getIssuer();
    return issuerClaim != null && !issuerClaim.isBlank() ? issuerClaim
        : IssuerEndpoints.serviceUrl(identity, tls, service.port());
  }

  private static PodSettings pod(MacpIssuerSpec spec) {
    Map<String, String> annotations = new TreeMap<>(IssuerPodDefaults.ANNOTATIONS);
    if (spec.getPodAnnotations() != null) {
      annotations.putAll(spec.getPodAnnotations());
    }
    return new PodSettings(
        spec.getReplicas(),
        IssuerImage.of(spec.getImage(), IssuerImage.operatorDefault()),
        spec.getResources() != null ? copy(spec.getResources()) : IssuerPodDefaults.resources(),
        spec.getPodLabels() == null ? Map.of() : new TreeMap<>(spec.getPodLabels()),
        annotations,
        spec.getNodeSelector() == null ? Map.of() : new TreeMap<>(spec.getNodeSelector()),
        spec.getTolerations() == null ? List.of() : copyAll(spec.getTolerations()),
        copy(spec.getAffinity()),
        spec.getPriorityClassName(),
        spec.getTopologySpreadConstraints() == null ? null
            : copyAll(spec.getTopologySpreadConstraints()),
        spec.getImagePullSecrets() == null ? List.of() : copyAll(spec.getImagePullSecrets()));
  }

  /**
   * spec.mint as settings; null (with the problem) for a mode the issuer does not know.
   */
  private static MintSettings mint(MintSpec mint, List<String> problems) {
    AuthenticationMode mode;
    try {
      mode = AuthenticationMode.fromPolicyName(mint.getAuthentication());
    } catch (IllegalArgumentException e) {
      problems.add("spec.mint.authentication: " + e.getMessage());
      return null;
    }
    List<MintClientSpec> clients = mint.getClients() == null ? List.of() : mint.getClients();
    return new MintSettings(
        mode,
        mode == AuthenticationMode.SHARED_SECRET ? nonBlank(mint.getSharedSecretRef()) : null,
        tlsSecretName(mint),
        mint.getAllowedFrom() == null ? List.of() : copyAll(mint.getAllowedFrom()),
        clients.stream()
            .map(MintClientSpec::getSharedSecret)
            .filter(n -> n != null && !n.isBlank())
            .toList(),
        clients.size());
  }

  private static String tlsSecretName(MintSpec mint) {
    return mint.getTls() == null ? null : nonBlank(mint.getTls().getSecretName());
  }

  /** spec.rotation.activationGate; Off when unset (the gate is opt-in). */
  private static ActivationGate activationGate(ActivationGateSpec spec, List<String> problems) {
    if (spec == null) {
      return ActivationGate.OFF;
    }
    ActivationGate.Mode mode = null;
    String name = spec.getMode() == null ? "Off" : spec.getMode();
    try {
      mode = ActivationGate.Mode.valueOf(name);
    } catch (IllegalArgumentException e) {
      problems.add("spec.rotation.activationGate.mode '" + name
          + "' is not one of Off, Observe, Hold");
    }
    Duration maxHold = duration("spec.rotation.activationGate.maxHold",
        spec.getMaxHold() == null ? "1h" : spec.getMaxHold(), problems);
    if (mode == null || maxHold == null) {
      return ActivationGate.OFF;
    }
    try {
      return new ActivationGate(mode, maxHold);
    } catch (IllegalArgumentException e) {
      problems.add("spec.rotation." + e.getMessage());
      return ActivationGate.OFF;
    }
  }

  /**
   * spec.mint is checked by rendering it and parsing the result with the issuer's own policy
   * parser, so the operator refuses exactly what the issuer pods would refuse.
   */
  private static MintPolicyDocument mintProblems(MintSpec mint, String issuerClaim,
      List<String> problems) {
    AuthenticationMode mode = AuthenticationMode.fromPolicyName(mint.getAuthentication());
    boolean hasSecretRef = mint.getSharedSecretRef() != null && !mint.getSharedSecretRef().isBlank();
    if (mode == AuthenticationMode.SHARED_SECRET && !hasSecretRef) {
      problems.add("spec.mint.sharedSecretRef (the Secret holding the bearer tokens) is required"
          + " with authentication SharedSecret");
    }
    if (mode != AuthenticationMode.SHARED_SECRET && mint.getSharedSecretRef() != null) {
      problems.add("spec.mint.sharedSecretRef is only used with authentication SharedSecret");
    }
    if (mint.getTls() != null
        && (mint.getTls().getSecretName() == null || mint.getTls().getSecretName().isBlank())) {
      problems.add("spec.mint.tls.secretName is required when spec.mint.tls is set");
    }
    if (mint.getAllowedFrom() != null) {
      if (mint.getAllowedFrom().isEmpty()) {
        problems.add("spec.mint.allowedFrom is empty; leave it out for no NetworkPolicy");
      }
      for (int i = 0; i < mint.getAllowedFrom().size(); i++) {
        MintPeerSpec peer = mint.getAllowedFrom().get(i);
        if (peer == null || (peer.getNamespaceSelector() == null && peer.getPodSelector() == null)) {
          problems.add("spec.mint.allowedFrom[" + i + "] needs a namespaceSelector, a podSelector"
              + " or both");
        }
      }
    }
    MintPolicyDocument policy;
    try {
      policy = MintPolicyRenderer.document(mint, issuerClaim);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
    try {
      // the issuer's own rules: a spec the pods would refuse is refused here
      policy.validate();
    } catch (IllegalArgumentException e) {
      problems.add("spec.mint: " + e.getMessage());
    }
    return policy;
  }

  /** The policy's audience is the issuer URL, which needs a namespace; a bare spec has none. */
  private static MacpIssuer renderable(MacpIssuer issuer) {
    if (issuer.getMetadata() != null && issuer.getMetadata().getNamespace() != null
        && issuer.getMetadata().getName() != null) {
      return issuer;
    }
    MacpIssuer copy = new MacpIssuer();
    copy.setMetadata(new ObjectMetaBuilder().withName("issuer").withNamespace("default").build());
    copy.setSpec(issuer.getSpec());
    return copy;
  }

  private static KeySpec keySpec(SigningSpec signing, List<String> problems) {
    SigningAlgorithm algorithm;
    try {
      algorithm = SigningAlgorithm.parse(signing.getAlgorithm());
    } catch (IllegalArgumentException e) {
      problems.add("spec.signing.algorithm: " + e.getMessage());
      return null;
    }
    try {
      return KeySpec.of(algorithm, signing.getRsaKeySize());
    } catch (IllegalArgumentException e) {
      problems.add("spec.signing.rsaKeySize: " + e.getMessage());
      return null;
    }
  }

  private static Duration duration(String field, String text, List<String> problems) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
      return null;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      problems.add(field + " must be at most " + MacpIssuerSpec.MAX_DURATION + " (got " + text
          + ")");
      return null;
    }
    return d;
  }

  /**
   * The CRD's sizes and its no-control-character rule (MacpIssuerSpec.NO_CONTROL_RULE), for a
   * spec that did not pass the CRD: each list and map bounded, and no string that reaches the pod
   * env, a token claim, a label or a log line carries a control character.
   */
  private static void bounds(MacpIssuerSpec spec, List<String> problems) {
    printable("spec.issuer", spec.getIssuer(), problems);
    printable("spec.audience", spec.getAudience(), problems);
    printable("spec.image", spec.getImage(), problems);
    printable("spec.priorityClassName", spec.getPriorityClassName(), problems);
    atMost("spec.imagePullSecrets", spec.getImagePullSecrets(),
        MacpIssuerSpec.MAX_IMAGE_PULL_SECRETS, problems);
    atMost("spec.topologySpreadConstraints", spec.getTopologySpreadConstraints(),
        MacpIssuerSpec.MAX_TOPOLOGY_SPREAD_CONSTRAINTS, problems);
    atMost("spec.tolerations", spec.getTolerations(), MacpIssuerSpec.MAX_TOLERATIONS, problems);
    atMost("spec.podLabels", spec.getPodLabels(), MacpIssuerSpec.MAX_POD_MAP_ENTRIES, problems);
    atMost("spec.podAnnotations", spec.getPodAnnotations(),
        MacpIssuerSpec.MAX_POD_MAP_ENTRIES, problems);
    atMost("spec.nodeSelector", spec.getNodeSelector(), MacpIssuerSpec.MAX_POD_MAP_ENTRIES, problems);
    MintSpec mint = spec.getMint();
    atMost("spec.mint.allowedFrom", mint.getAllowedFrom(), MintSpec.MAX_ALLOWED_FROM, problems);
    atMost("spec.mint.clients", mint.getClients(), MintSpec.MAX_CLIENTS, problems);
    List<MintClientSpec> clients = mint.getClients() == null ? List.of() : mint.getClients();
    for (int i = 0; i < clients.size(); i++) {
      MintClientSpec client = clients.get(i);
      if (client == null) {
        continue;
      }
      String at = "spec.mint.clients[" + i + "]";
      printable(at + ".serviceAccount", client.getServiceAccount(), problems);
      printable(at + ".sharedSecret", client.getSharedSecret(), problems);
      atMost(at + ".senders", client.getSenders(), MintClientSpec.MAX_SENDERS, problems);
      printableAll(at + ".senders", client.getSenders(), problems);
      if (client.getMaxTtl() != null) {
        // a syntax error is the mint policy's to report (mintProblems); only the bound here
        List<String> ignored = new ArrayList<>();
        if (duration(at + ".maxTtl", client.getMaxTtl(), ignored) == null
            && ignored.stream().anyMatch(p -> p.contains(" must be at most "))) {
          problems.addAll(ignored);
        }
      }
      if (client.getScopes() != null) {
        atMost(at + ".scopes.allowedModes", client.getScopes().getAllowedModes(),
            MintScopesSpec.MAX_ALLOWED_MODES, problems);
        printableAll(at + ".scopes.allowedModes", client.getScopes().getAllowedModes(), problems);
      }
    }
  }

  private static final Duration MAX_DURATION = Durations.parse(MacpIssuerSpec.MAX_DURATION);

  /** The one check for control characters: C0, DEL and C1 (Unicode Cc), as the CRD's rule. */
  static void printable(String field, String value, List<String> problems) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.getType(value.charAt(i)) == Character.CONTROL) {
        problems.add(String.format("%s %s (U+%04X at index %d)", field,
            MacpIssuerSpec.NO_CONTROL_MESSAGE, (int) value.charAt(i), i));
        return;
      }
    }
  }

  private static void printableAll(String field, List<String> values, List<String> problems) {
    if (values != null) {
      for (int i = 0; i < values.size(); i++) {
        printable(field + "[" + i + "]", values.get(i), problems);
      }
    }
  }

  private static void atMost(String field, java.util.Collection<?> values, int max,
      List<String> problems) {
    if (values != null && values.size() > max) {
      problems.add(field + " has " + values.size() + " entries; at most " + max + " are allowed");
    }
  }

  private static void atMost(String field, Map<?, ?> values, int max, List<String> problems) {
    if (values != null && values.size() > max) {
      problems.add(field + " has " + values.size() + " entries; at most " + max + " are allowed");
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Deep copies: the policy never aliases (and a later edit never changes) the primary. */
  private static <T> T copy(T value) {
    return value == null ? null : SERIALIZATION.clone(value);
  }

  private static <T> List<T> copyAll(List<T> values) {
    return values.stream().map(IssuerSpecValidator::copy).toList();
  }
}
