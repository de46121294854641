package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.security.authn.Authenticator;
import io.macp.issuer.security.authn.CallerId;
import java.util.LinkedHashMap;
import java.util.Map;

/** A loaded policy with its authenticator and the bindings indexed by caller. */
public record ActivePolicy(MintPolicy policy, Authenticator authenticator,
    Map<CallerId, ClientBinding> bindings) {

  public static ActivePolicy of(MintPolicy policy, Authenticator authenticator) {
    Map<CallerId, ClientBinding> byCaller = new LinkedHashMap<>();
    for (ClientBinding b : policy.clients()) {
      byCaller.put(b.caller(), b);
    }
    return new ActivePolicy(policy, authenticator, Map.copyOf(byCaller));
  }

  /** Mode None without clients: the reference behaviour, anyone may mint anything. */
  public boolean isOpen() {
    return policy.authentication() == AuthenticationMode.NONE && policy.clients().isEmpty();
  }
}
