package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * The desired issuer: policy only, never key material.
 *
 * <p>The key bound (docs/rotation.md, "Size bound"): {@code 2 + ceil((maxTtl + clockSkew) /
 * period) <= 10}, i.e. {@code maxTtl + clockSkew <= 8 * period} (written as a sum: CEL has no
 * duration product). {@code RotationPolicy} checks the same with the numbers in its message.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "!has(self.tokens) || !has(self.rotation)"
        + " || ![self.tokens.maxTtl, self.rotation.clockSkew, self.rotation.period].all(d, d."
        + MacpIssuerSpec.CEL_DURATION_OK + ")"
        + " || duration(self.tokens.maxTtl) + duration(self.rotation.clockSkew)"
        + " <= duration(self.rotation.period) + duration(self.rotation.period)"
        + " + duration(self.rotation.period) + duration(self.rotation.period)"
        + " + duration(self.rotation.period) + duration(self.rotation.period)"
        + " + duration(self.rotation.period) + duration(self.rotation.period)",
    message = "the key set would hold more than 10 keys: 2 + ceil((tokens.maxTtl +"
        + " rotation.clockSkew) / rotation.period) must be at most 10, so make rotation.period at"
        + " least (tokens.maxTtl + rotation.clockSkew) / 8 or shorten tokens.maxTtl")
public class MacpIssuerSpec {
  /** Go/Kubernetes durations as the schema accepts them: 90s, 5m, 24h, 1h30m, 1.5h, 250ms. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
  /** Bounds the strings CEL parses, which keeps the API server's rule cost estimate low. */
  public static final long DURATION_MAX_LENGTH = 32;
  /**
   * The most issuer replicas. The activation gate asks at most this many pods which verifiers
   * fetched the JWKS ({@code PodVerifierCoverageSource} reads this constant), so a larger
   * Deployment would have replicas the gate never sees; the embedded cluster runs no more either.
   */
  public static final int MAX_REPLICAS = 32;
  /**
   * Bounds of the pod lists and maps Kubernetes itself leaves open (it checks each label, not how
   * many); far above any real issuer's needs, they keep one object and its pods small.
   */
  public static final int MAX_IMAGE_PULL_SECRETS = 16;
  public static final int MAX_TOPOLOGY_SPREAD_CONSTRAINTS = 8;
  public static final int MAX_TOLERATIONS = 32;
  public static final int MAX_POD_MAP_ENTRIES = 64;
  /** The longest duration any spec field takes: one year, written as Go does. */
  public static final String MAX_DURATION = "8760h";
  /**
   * A duration string CEL parses without overflow: at most 99999h, 9999999m, 999999999s or
   * 999999999999ms per number (each under 277778h, under 27778h per character), so even
   * {@link #DURATION_MAX_LENGTH} characters stay far below Go's limit of about 2562047h.
   */
  static final String CEL_DURATION_RE = "'^(([0-9]{1,5}([.][0-9]+)?h)|([0-9]{1,7}([.][0-9]+)?m)"
      + "|([0-9]{1,9}([.][0-9]+)?s)|([0-9]{1,12}([.][0-9]+)?ms))+$'";
  /**
   * CEL: a duration string CEL can parse without overflow ({@link #CEL_DURATION_RE}) and at most
   * {@link #MAX_DURATION}. Cross-field rules test their operands with it first ({@code !ok ||
   * rule}), so an out-of-range value gives one message (the field's own) instead of an
   * evaluation error from every rule that reads it.
   */
  public static final String CEL_DURATION_OK =
      "matches(" + CEL_DURATION_RE + ") && duration(d) <= duration('"
          + MAX_DURATION + "')";
  /** CEL on a duration field: {@link #CEL_DURATION_OK} of self. */
  public static final String DURATION_RULE =
      "self.matches(" + CEL_DURATION_RE + ") && duration(self) <= duration('"
          + MAX_DURATION + "')";
  public static final String DURATION_MESSAGE =
      "must be a Go duration of at most " + MAX_DURATION + " (one year), e.g. 90s, 5m, 24h or"
          + " 168h";
  /**
   * CEL on a string: no control character (C0, DEL, C1: Unicode category Cc). A newline or NUL
   * would split log lines and token claims, and a NUL in a container env value stops the pod.
   */
  public static final String NO_CONTROL_RULE = "!self.matches(r'\\p{Cc}')";
  public static final String NO_CONTROL_MESSAGE =
      "must not contain control characters (newline, tab, NUL, DEL or C1); write the value on"
          + " one line of printable characters";

  @JsonPropertyDescription(
      "The iss claim of minted tokens; verifiers must be configured with the same value"
          + " (MACP_AUTH_ISSUER). When unset, the operator uses the in-cluster URL of the issuer's"
          + " Service, http://<name>.<namespace>.svc:<service.port> (https:// with mint.tls).")
  @Size(min = 1, max = 2048)
  @ValidationRule(value = NO_CONTROL_RULE, message = NO_CONTROL_MESSAGE)
  private String issuer;

  @JsonPropertyDescription(
      "The aud claim of minted tokens, a single string; verifiers check it (MACP_AUTH_AUDIENCE)."
          + " Defaults to macp-runtime like the reference service.")
  @Default("macp-runtime")
  @Size(min = 1, max = 2048)
  @ValidationRule(value = NO_CONTROL_RULE, message = NO_CONTROL_MESSAGE)
  @JsonSetter(nulls = Nulls.SKIP)
  private String audience = "macp-runtime";

  @JsonPropertyDescription("How signing keys are made: algorithm and RSA key size.")
  @Default("{}")
  @JsonSetter(nulls = Nulls.SKIP)
  private SigningSpec signing = new SigningSpec();

  @JsonPropertyDescription("Lifetimes of minted tokens: default and maximum TTL.")
  @Default("{}")
  @JsonSetter(nulls = Nulls.SKIP)
  private TokensSpec tokens = new TokensSpec();

  @JsonPropertyDescription(
      "The key rotation schedule and what verifiers need to never see an unknown or removed"
          + " key: period, verifier cache TTL and stale grace, propagation delay, clock skew.")
  @Default("{}")
  @JsonSetter(nulls = Nulls.SKIP)
  private RotationSpec rotation = new RotationSpec();

  @JsonPropertyDescription(
      "Number of issuer pods. All replicas switch keys at the same instant by the clock; more"
          + " than 1 also gets a PodDisruptionBudget. At most 32: the activation gate asks at most 32"
          + " pods which verifiers hold the next key.")
  @Default("2")
  @Min(1)
  @Max(MAX_REPLICAS)
  @JsonSetter(nulls = Nulls.SKIP)
  private Integer replicas = 2;

  @JsonPropertyDescription(
      "Container image of the issuer pods. When unset, the operator's configured issuer image"
          + " (its MACP_ISSUER_IMAGE, set by the install manifests).")
  @Size(min = 1, max = 1024)
  @ValidationRule(value = NO_CONTROL_RULE, message = NO_CONTROL_MESSAGE)
  private String image;

  @JsonPropertyDescription(
      "Secrets in the issuer's namespace for pulling the issuer image from a private registry"
          + " (pod spec imagePullSecrets). At most 16.")
  @Size(max = MAX_IMAGE_PULL_SECRETS)
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription(
      "PriorityClass of the issuer pods (pod spec priorityClassName). Token minting is on the"
          + " path of every MACP session, so a high class keeps issuers from being preempted.")
  @Size(min = 1, max = 253)
  @Pattern(MintSpec.DNS_SUBDOMAIN)
  private String priorityClassName;

  @JsonPropertyDescription(
      "How issuer replicas spread over topology domains (pod spec topologySpreadConstraints)."
          + " When unset, the operator spreads them over nodes (kubernetes.io/hostname) and, where"
          + " nodes are labelled, zones (topology.kubernetes.io/zone), maxSkew 1 and"
          + " whenUnsatisfiable ScheduleAnyway, so a single node or zone never blocks scheduling."
          + " An empty list turns spreading off. At most 8.")
  @Size(max = MAX_TOPOLOGY_SPREAD_CONSTRAINTS)
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription(
      "Extra annotations on the issuer pods. They override the operator's defaults"
          + " (prometheus.io/scrape, prometheus.io/port, prometheus.io/path). Changing them rolls"
          + " the pods. At most 64.")
  @Size(max = MAX_POD_MAP_ENTRIES)
  private Map<String, String> podAnnotations;

  @JsonPropertyDescription(
      "Extra labels on the issuer pods. The operator's own labels (app.kubernetes.io/name,"
          + " app.kubernetes.io/instance, app.kubernetes.io/managed-by) always win: they select the"
          + " pods. Changing them rolls the pods. At most 64.")
  @Size(max = MAX_POD_MAP_ENTRIES)
  private Map<String, String> podLabels;

  @JsonPropertyDescription("CPU and memory requests and limits of each issuer container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the issuer pods must run on (pod spec nodeSelector). At most 64.")
  @Size(max = MAX_POD_MAP_ENTRIES)
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the issuer pods (pod spec tolerations). At most 32.")
  @Size(max = MAX_TOLERATIONS)
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Affinity of the issuer pods (pod spec affinity), e.g. anti-affinity to spread replicas"
          + " over nodes or zones.")
  private Affinity affinity;

  @JsonPropertyDescription("The issuer's Service: type and port.")
  @Default("{}")
  @JsonSetter(nulls = Nulls.SKIP)
  private ServiceSpec service = new ServiceSpec();

  // Default true: a GitOps prune, a rename or a mistaken delete must not destroy the keys every
  // outstanding token depends on; a retained Secret is cheap and deleting it is one command.
  @JsonPropertyDescription(
      "Keep the key Secret <name>-keys when this MacpIssuer is deleted (the default), so a"
          + " re-created issuer of the same name signs with the same keys and tokens already"
          + " minted keep verifying, and a GitOps prune or a mistaken delete loses no keys. Set"
          + " false to delete the key Secret with the issuer (every token it signed then stops"
          + " verifying once verifiers refresh their JWKS).")
  @Default("true")
  private boolean retainKeysOnDelete = true;

  @JsonPropertyDescription(
      "Security of the mint endpoint: how callers authenticate, what each may mint, which"
          + " peers may connect, and HTTPS. Defaults to authentication None (anyone who can"
          + " reach the port mints anything, like the reference service), which the operator"
          + " reports with a Warning.")
  @Default("{}")
  @JsonSetter(nulls = Nulls.SKIP)
  private MintSpec mint = new MintSpec();

  @JsonPropertyDescription(
      "Declared verifiers, off unless set: a label selector for the MACP runtime workloads"
          + " (Deployments, StatefulSets, DaemonSets) in this issuer's namespace. The operator"
          + " reads their containers' MACP_AUTH_* env (and ConfigMaps it comes from; never"
          + " Secrets) and reports, in the VerifiersConfigured condition, an inline JWKS"
          + " (MACP_AUTH_JWKS_JSON, which breaks at the first rotation) or a JWKS cache"
          + " (MACP_AUTH_JWKS_TTL_SECS, default 300) longer than verifierCacheTtl +"
          + " verifierStaleGrace, with what to change.")
  private DeclaredVerifiersSpec verifiers;

  public DeclaredVerifiersSpec getVerifiers() { return verifiers; }
  public void setVerifiers(DeclaredVerifiersSpec verifiers) { this.verifiers = verifiers; }
  public String getIssuer() { return issuer; }
  public void setIssuer(String issuer) { this.issuer = issuer; }
  public String getAudience() { return audience; }
  public void setAudience(String audience) { this.audience = audience != null ? audience : "macp-runtime"; }
  public SigningSpec getSigning() { return signing; }
  public void setSigning(SigningSpec signing) { this.signing = signing != null ? signing : new SigningSpec(); }
  public TokensSpec getTokens() { return tokens; }
  public void setTokens(TokensSpec tokens) { this.tokens = tokens != null ? tokens : new TokensSpec(); }
  public RotationSpec getRotation() { return rotation; }
  public void setRotation(RotationSpec rotation) { this.rotation = rotation != null ? rotation : new RotationSpec(); }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas != null ? replicas : 2; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
  public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
  public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) { this.topologySpreadConstraints = topologySpreadConstraints; }
  public Map<String, String> getPodAnnotations() { return podAnnotations; }
  public void setPodAnnotations(Map<String, String> podAnnotations) { this.podAnnotations = podAnnotations; }
  public Map<String, String> getPodLabels() { return podLabels; }
  public void setPodLabels(Map<String, String> podLabels) { this.podLabels = podLabels; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity affinity) { this.affinity = affinity; }
  public ServiceSpec getService() { return service; }
  public void setService(ServiceSpec service) { this.service = service != null ? service : new ServiceSpec(); }
  public MintSpec getMint() { return mint; }
  public void setMint(MintSpec mint) { this.mint = mint != null ? mint : new MintSpec(); }
  public boolean isRetainKeysOnDelete() { return retainKeysOnDelete; }
  public void setRetainKeysOnDelete(boolean retainKeysOnDelete) { this.retainKeysOnDelete = retainKeysOnDelete; }
}
