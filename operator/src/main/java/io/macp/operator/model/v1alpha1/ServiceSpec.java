package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The issuer's Service: where minters and verifiers reach it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "!has(self.port) || !has(self.publicPort) || self.port != self.publicPort",
    message = "publicPort must differ from port: the public endpoints need a port of their own")
public class ServiceSpec {
  /** The Service types an issuer may use; only the schema's enum comes from here. */
  public enum Type {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  @JsonPropertyDescription(
      "Kubernetes Service type of the issuer: ClusterIP (in-cluster only, the default), NodePort"
          + " or LoadBalancer. POST /tokens mints tokens, so expose it beyond the cluster only with"
          + " care.")
  @SchemaFrom(type = Type.class)
  @Default("ClusterIP")
  @JsonSetter(nulls = Nulls.SKIP)
  private String type = "ClusterIP";

  @JsonPropertyDescription(
      "Service port of the issuer (3200, like the reference service). The in-cluster issuer and"
          + " JWKS URLs use it.")
  @Default("3200")
  @Min(1)
  @Max(65535)
  @JsonSetter(nulls = Nulls.SKIP)
  private Integer port = 3200;

  @JsonPropertyDescription(
      "Service port of the issuer's public endpoints (3201): the JWKS, discovery, /healthz,"
          + " /readyz and /metrics, never POST /tokens. status.jwksUrl and the discovery"
          + " document's jwks_uri use it, and the NetworkPolicy of spec.mint.allowedFrom admits"
          + " every source to it. Must differ from port. The main port keeps serving these too.")
  @Default("3201")
  @Min(1)
  @Max(65535)
  @JsonSetter(nulls = Nulls.SKIP)
  private Integer publicPort = 3201;

  public String getType() { return type; }
  public void setType(String type) { this.type = type != null ? type : "ClusterIP"; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port != null ? port : 3200; }
  public Integer getPublicPort() { return publicPort; }
  public void setPublicPort(Integer publicPort) { this.publicPort = publicPort != null ? publicPort : 3201; }
}
