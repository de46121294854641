package io.macp.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

public class MacpIssuerSpec {
  private String issuer;
  private String audience = "macp-runtime";
  private SigningSpec signing = new SigningSpec();
  private TokensSpec tokens = new TokensSpec();
  private RotationSpec rotation = new RotationSpec();
  private Integer replicas = 2;
  private String image;
  private ResourceRequirements resources;
  private Map<String, String> nodeSelector;
  private List<Toleration> tolerations;
  private Affinity affinity;
  private ServiceSpec service = new ServiceSpec();
  private boolean retainKeysOnDelete;

  public String getIssuer() { return issuer; }
  public void setIssuer(String issuer) { this.issuer = issuer; }
  public String getAudience() { return audience; }
  public void setAudience(String audience) { this.audience = audience; }
  public SigningSpec getSigning() { return signing; }
  public void setSigning(SigningSpec signing) { this.signing = signing; }
  public TokensSpec getTokens() { return tokens; }
  public void setTokens(TokensSpec tokens) { this.tokens = tokens; }
  public RotationSpec getRotation() { return rotation; }
  public void setRotation(RotationSpec rotation) { this.rotation = rotation; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity affinity) { this.affinity = affinity; }
  public ServiceSpec getService() { return service; }
  public void setService(ServiceSpec service) { this.service = service; }
  public boolean isRetainKeysOnDelete() { return retainKeysOnDelete; }
  public void setRetainKeysOnDelete(boolean retainKeysOnDelete) { this.retainKeysOnDelete = retainKeysOnDelete; }
}
