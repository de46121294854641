package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.resources.IssuerNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Whether the Secrets {@code spec.mint} refers to can be mounted and used: the shared-token Secret
 * exists and holds tokens, the TLS Secret holds tls.crt and tls.key. The pods would not start
 * without them (or the issuer would refuse the files), so the operator rolls nothing out until
 * they are fixed. A bound client without a token only gets a note: the issuer runs, that client
 * just cannot authenticate. Pure given the lookup; messages name Secrets and keys, never a value.
 */
public final class MintSecretCheck {
  private MintSecretCheck() {}

  /**
   * @param blocking what keeps the pods from starting or the issuer from loading its files
   * @param notes what works but is likely a mistake, e.g. a client without a token
   */
  public record Result(List<String> blocking, List<String> notes) {
    public Result {
      blocking = List.copyOf(blocking);
      notes = List.copyOf(notes);
    }
  }

  /**
   * @param issuer whose namespace holds the Secrets
   * @param mint spec.mint as validated ({@link IssuerPolicy#mint()})
   * @param lookup a Secret of the issuer's namespace by name, or null when it does not exist
   */
  public static Result check(MacpIssuer issuer, IssuerPolicy.MintSettings mint,
      Function<String, Secret> lookup) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String ns = issuer.getMetadata().getNamespace();
    List<String> clientNames = mint.sharedSecretClients();
    mint.sharedSecret().ifPresent(name -> {
      Secret secret = lookup.apply(name);
      if (secret == null) {
        problems.add("Secret " + ns + "/" + name + " (spec.mint.sharedSecretRef) does not exist;"
            + " create it with one data key per client (" + clientNames + ") holding its"
            + " bearer token");
        return;
      }
      Set<String> keys = keys(secret);
      List<String> without = new ArrayList<>();
      for (String client : clientNames) {
        boolean has = keys.stream().anyMatch(k -> k.equals(client) || k.startsWith(client + "."));
        if (!has) {
          without.add(client);
        }
      }
      if (keys.isEmpty()) {
        problems.add("Secret " + ns + "/" + name + " (spec.mint.sharedSecretRef) holds no tokens;"
            + " add one data key per client");
      } else if (!without.isEmpty()) {
        notes.add("Secret " + ns + "/" + name + " (spec.mint.sharedSecretRef) has no token for"
            + " client(s) " + String.join(", ", without) + ", which cannot authenticate until a"
            + " data key <client> or <client>.<suffix> is added");
      }
    });
    mint.tlsSecret().ifPresent(name -> {
      Secret secret = lookup.apply(name);
      if (secret == null) {
        problems.add("Secret " + ns + "/" + name + " (spec.mint.tls.secretName) does not exist;"
            + " create a kubernetes.io/tls Secret, e.g. with a cert-manager Certificate whose"
            + " secretName is " + name);
        return;
      }
      Set<String> missing = new TreeSet<>(List.of(IssuerNames.TLS_CERT_KEY, IssuerNames.TLS_KEY_KEY));
      missing.removeAll(keys(secret));
      if (!missing.isEmpty()) {
        problems.add("Secret " + ns + "/" + name + " (spec.mint.tls.secretName) has no "
            + String.join(" and no ", missing) + "; it must be a kubernetes.io/tls Secret");
      }
    });
    return new Result(problems, notes);
  }

  /** Keys with a non-empty value; the mock server keeps stringData apart from data. */
  private static Set<String> keys(Secret secret) {
    Set<String> keys = new TreeSet<>();
    addNonEmpty(keys, secret.getData());
    addNonEmpty(keys, secret.getStringData());
    return keys;
  }

  private static void addNonEmpty(Set<String> keys, Map<String, String> data) {
    if (data != null) {
      data.forEach((k, v) -> {
        if (v != null && !v.isEmpty()) {
          keys.add(k);
        }
      });
    }
  }
}
