package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.keyset.Durations;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.reconciler.AnnotationRequests;
import io.macp.operator.policy.IssuerSpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl macp revoke NAME KID}: withdraws a key at once (macp.io/revoke), after saying what
 * that does and asking; waits until status.handledRevoke records it.
 */
@Command(name = "revoke", description = "Withdraw a key at once (macp.io/revoke); asks first unless --yes.")
final class RevokeCommand extends MacpCommand {
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "the MacpIssuer")
  String name;

  @Parameters(index = "1", paramLabel = "KID", description = "the key to revoke")
  String kid;

  @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
  boolean yes;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "how long to wait for the operator (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      MacpIssuer issuer = ClusterOptions.issuer(client, name);
      String where = client.getNamespace() + "/" + name;
      Optional<KeyStatus> key = issuer.getStatus() == null || issuer.getStatus().getKeys() == null
          ? Optional.empty()
          : issuer.getStatus().getKeys().stream().filter(k -> kid.equals(k.getKid())).findFirst();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("issuer " + where + " has no key " + kid
            + " (kubectl macp status " + name + " lists its keys)");
      }
      if (key.get().getRevokedAt() != null) {
        out.println("key " + kid + " of " + where + " was already revoked at " + key.get().getRevokedAt());
        return 0;
      }
      out.print(explain(issuer, key.get()));
      out.flush();
      if (!yes) {
        out.print("Revoke " + kid + "? Type yes to continue: ");
        out.flush();
        String answer = in == null ? null : in.readLine();
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
          out.println("not revoked");
          return 1;
        }
      }
      Requests.annotate(client, name, AnnotationRequests.REVOKE, kid);
      out.println("requested (" + AnnotationRequests.REVOKE + "=" + kid + "); waiting for the operator...");
      out.flush();
      MacpIssuer after = Requests.await(client, name,
          i -> i.getStatus() != null && kid.equals(i.getStatus().getHandledRevoke()),
          timeout, clock, "status.handledRevoke=" + kid);
      out.println("revoked " + kid + "; " + after.getStatus().getActiveKid() + " signs now");
      out.flush();
      return 0;
    }
  }

  /** What revoking this key does, in plain words (docs/rotation.md, "Revocation"). */
  static String explain(MacpIssuer issuer, KeyStatus key) {
    Duration cache = IssuerSpecValidator.policyOf(issuer).rotation().verifierCacheTtl();
    String active = issuer.getStatus().getActiveKid();
    StringBuilder s = new StringBuilder();
    s.append("Revoking ").append(key.getKid()).append(" removes it from the JWKS at once and deletes its private key.\n");
    s.append("Every token it signed stops verifying as soon as a verifier refreshes its JWKS cache (within ")
        .append(Durations.format(cache)).append(").\n");
    if (Objects.equals(active, key.getKid())) {
      Optional<KeyStatus> next = issuer.getStatus().getKeys().stream()
          .filter(k -> !k.getKid().equals(key.getKid()) && k.getRevokedAt() == null
              && "Published".equals(k.getPhase()))
          .findFirst();
      s.append("It is the ACTIVE signing key: ");
      if (next.isPresent()) {
        s.append("the pre-published key ").append(next.get().getKid())
            .append(" is promoted and signs from now on (verifiers already know it).\n");
      } else {
        s.append("no pre-published key can take over, so a new key signs at once and verifiers reject "
            + "its tokens until their JWKS cache refreshes.\n");
      }
    }
    return s.toString();
  }
}
