package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did; never key material. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MacpIssuerStatus {
  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, KeysReady, Available (the issuer Deployment is available), MintSecured (False"
          + " for authentication None or an unusable mint Secret), and InvalidSpec or"
          + " RotationBlocked with a reason and a message saying what to fix; VerifiersReady"
          + " with an activation gate, VerifiersConfigured with spec.verifiers.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Kid of the key that signs now.")
  private String activeKid;

  @JsonPropertyDescription("When the next pre-published key becomes the signer (RFC 3339).")
  private String nextRotationAt;

  @JsonPropertyDescription("Every key in the key set with its phase and timeline; never key material.")
  private List<KeyStatus> keys = new ArrayList<>();

  @JsonPropertyDescription("In-cluster URL of the public JWKS, for MACP_AUTH_JWKS_URL of verifiers.")
  private String jwksUrl;

  @JsonPropertyDescription("In-cluster URL of the token mint endpoint (POST).")
  private String mintUrl;

  @JsonPropertyDescription(
      "The last macp.io/rotate nonce handled, so re-applying the same annotation does not rotate"
          + " again.")
  private String handledRotateNonce;

  @JsonPropertyDescription("The last macp.io/revoke request handled (the revoked kid).")
  private String handledRevoke;

  @JsonPropertyDescription(
      "The ClusterRoleBinding (installed with the operator, macp-issuer-tokenreview) whose"
          + " subjects include the issuer's ServiceAccount <name>-issuer while"
          + " mint.authentication is ServiceAccount; for people only, the operator never acts"
          + " on the value.")
  private String tokenReviewBinding;

  @JsonPropertyDescription(
      "Set when spec.rotation.activationGate is Observe or Hold: the known verifiers, how many"
          + " hold the next key and which lag, as of the last reconcile.")
  private VerifiersStatus verifiers;

  @JsonPropertyDescription(
      "Set when spec.verifiers is: how many workloads the selector matched and what is wrong"
          + " with their JWKS settings (at most 20 findings), as of the last check.")
  private DeclaredVerifiersStatus declaredVerifiers;

  public DeclaredVerifiersStatus getDeclaredVerifiers() { return declaredVerifiers; }
  public void setDeclaredVerifiers(DeclaredVerifiersStatus declaredVerifiers) { this.declaredVerifiers = declaredVerifiers; }
  public VerifiersStatus getVerifiers() { return verifiers; }
  public void setVerifiers(VerifiersStatus verifiers) { this.verifiers = verifiers; }
  public String getTokenReviewBinding() { return tokenReviewBinding; }
  public void setTokenReviewBinding(String tokenReviewBinding) { this.tokenReviewBinding = tokenReviewBinding; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getActiveKid() { return activeKid; }
  public void setActiveKid(String activeKid) { this.activeKid = activeKid; }
  public String getNextRotationAt() { return nextRotationAt; }
  public void setNextRotationAt(String nextRotationAt) { this.nextRotationAt = nextRotationAt; }
  public List<KeyStatus> getKeys() { return keys; }
  public void setKeys(List<KeyStatus> keys) { this.keys = keys; }
  public String getJwksUrl() { return jwksUrl; }
  public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
  public String getMintUrl() { return mintUrl; }
  public void setMintUrl(String mintUrl) { this.mintUrl = mintUrl; }
  public String getHandledRotateNonce() { return handledRotateNonce; }
  public void setHandledRotateNonce(String handledRotateNonce) { this.handledRotateNonce = handledRotateNonce; }
  public String getHandledRevoke() { return handledRevoke; }
  public void setHandledRevoke(String handledRevoke) { this.handledRevoke = handledRevoke; }
}
