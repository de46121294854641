package io.macp.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** HTTPS for the issuer pods. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MintTlsSpec {
  @JsonPropertyDescription(
      "Name of a kubernetes.io/tls Secret (keys tls.crt and tls.key) in the issuer's namespace,"
          + " e.g. the secretName of a cert-manager Certificate. Its SANs must list the Service"
          + " DNS names callers use (<name>.<namespace>.svc; the operator requires it or"
          + " <name>.<namespace>.svc.cluster.local). With TLS on, probes use HTTPS and"
          + " the default issuer URL becomes https://<name>.<namespace>.svc:<port>.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern(MintSpec.DNS_SUBDOMAIN)
  private String secretName;

  public String getSecretName() { return secretName; }
  public void setSecretName(String secretName) { this.secretName = secretName; }
}
