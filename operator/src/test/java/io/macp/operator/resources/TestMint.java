package io.macp.operator.resources;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MintClientSpec;
import io.macp.operator.model.v1alpha1.MintPeerSpec;
import io.macp.operator.model.v1alpha1.MintRateLimitSpec;
import io.macp.operator.model.v1alpha1.MintScopesSpec;
import io.macp.operator.model.v1alpha1.MintSpec;
import io.macp.operator.model.v1alpha1.MintTlsSpec;
import java.util.ArrayList;
import java.util.List;

/** spec.mint values for tests. */
public final class TestMint {
  private TestMint() {}

  /** SharedSecret with two clients, one of them fully limited. */
  public static MintSpec sharedSecret(String secretName) {
    MintSpec mint = new MintSpec();
    mint.setAuthentication("SharedSecret");
    mint.setSharedSecretRef(secretName);
    MintClientSpec orchestrator = client(null, "orchestrator", "agent://team-a/*", "agent://risk");
    orchestrator.setMaxTtl("15m");
    MintScopesSpec scopes = new MintScopesSpec();
    scopes.setCanStartSessions(true);
    scopes.setIsObserver(false);
    scopes.setCanManageModeRegistry(false);
    scopes.setMaxOpenSessions(5);
    scopes.setAllowedModes(List.of("macp.mode.decision.v1"));
    orchestrator.setScopes(scopes);
    MintRateLimitSpec rate = new MintRateLimitSpec();
    rate.setRequestsPerSecond(2.5);
    rate.setBurst(10);
    orchestrator.setRateLimit(rate);
    mint.setClients(new ArrayList<>(List.of(orchestrator, client(null, "observer", "agent://obs"))));
    return mint;
  }

  public static MintSpec serviceAccount(String... serviceAccounts) {
    MintSpec mint = new MintSpec();
    mint.setAuthentication("ServiceAccount");
    List<MintClientSpec> clients = new ArrayList<>();
    for (String sa : serviceAccounts) {
      clients.add(client(sa, null, "agent://" + sa.replace('/', '-') + "/*"));
    }
    mint.setClients(clients);
    return mint;
  }

  public static MintClientSpec client(String serviceAccount, String sharedSecret, String... senders) {
    MintClientSpec c = new MintClientSpec();
    c.setServiceAccount(serviceAccount);
    c.setSharedSecret(sharedSecret);
    c.setSenders(new ArrayList<>(List.of(senders)));
    return c;
  }

  /** Pods labelled role=orchestrator in namespaces labelled team=a. */
  public static MintPeerSpec peer(String team, String role) {
    MintPeerSpec peer = new MintPeerSpec();
    if (team != null) {
      peer.setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("team", team).build());
    }
    if (role != null) {
      peer.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("role", role).build());
    }
    return peer;
  }

  public static MintTlsSpec tls(String secretName) {
    MintTlsSpec tls = new MintTlsSpec();
    tls.setSecretName(secretName);
    return tls;
  }

  public static MacpIssuer withMint(MacpIssuer issuer, MintSpec mint) {
    issuer.getSpec().setMint(mint);
    return issuer;
  }
}
