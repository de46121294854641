package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.keyset.Durations;
import io.macp.keyset.RotationPolicy;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.reconciler.AnnotationRequests;
import io.macp.operator.policy.IssuerSpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl macp revoke NAME KID}: withdraws a key (macp.io/revoke), after saying what that
 * does and asking; waits until status.handledRevoke records it.
 */
@Command(name = "revoke", description = "Withdraw a key (macp.io/revoke); asks first unless --yes.")
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
      out.print(explain(issuer, key.get(), clock.instant()));
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
      out.println(afterRevoke(after, kid));
      out.flush();
      return 0;
    }
  }

  /**
   * What revoking this key does, in plain words, at instant {@code now} (docs/rotation.md,
   * "Revoking the active key"): the operator writes the revocation at once, but issuer replicas
   * load it within D = propagationDelay and may publish and sign with the key until then;
   * verifiers drop it by {@code now + D + C} ({@link RotationPolicy#revokedKeyDroppedBy}).
   */
  static String explain(MacpIssuer issuer, KeyStatus key, Instant now) {
    RotationPolicy policy = IssuerSpecValidator.policyOf(issuer).rotation();
    String d = Durations.format(policy.propagationDelay());
    String active = issuer.getStatus().getActiveKid();
    StringBuilder s = new StringBuilder();
    s.append("Revoking ").append(key.getKid()).append(" deletes its private key; it leaves the")
        .append(" issuers' JWKS within ").append(d)
        .append(" (replicas may still publish and sign with it until then).\n");
    s.append("Tokens it signed stop verifying by ").append(policy.revokedKeyDroppedBy(now))
        .append(" (now + propagation delay ").append(d).append(" + verifier cache TTL ")
        .append(Durations.format(policy.verifierCacheTtl())).append(").\n");
    if (Objects.equals(active, key.getKid())) {
      Optional<KeyStatus> next = issuer.getStatus().getKeys().stream()
          .filter(k -> !k.getKid().equals(key.getKid()) && k.getRevokedAt() == null
              && "Published".equals(k.getPhase()))
          .findFirst();
      s.append("It is the ACTIVE signing key: ");
      if (next.isPresent()) {
        s.append("the pre-published key ").append(next.get().getKid()).append(" takes over; ")
            .append(successorReadiness(policy, next.get(), now)).append("\n");
      } else {
        s.append("no pre-published key can take over, so a new key signs and verifiers reject"
            + " its tokens until their JWKS cache refreshes.\n");
      }
    }
    return s.toString();
  }

  /**
   * Whether verifiers already know the key taking over: only once it has been published the lead
   * time L ({@link RotationPolicy#knownToEveryVerifierBy}); before that, verifiers whose cache
   * predates its publication reject its tokens until they refresh.
   */
  static String successorReadiness(RotationPolicy policy, KeyStatus successor, Instant now) {
    Instant published = successor.getCreatedAt() == null ? null
        : Instant.parse(successor.getCreatedAt());
    if (published == null) {
      return "verifiers whose JWKS cache predates it reject its tokens until they refresh.";
    }
    Instant knownBy = policy.knownToEveryVerifierBy(published);
    if (!now.isBefore(knownBy)) {
      return "verifiers already know it (published " + Durations.format(Duration.between(published,
          now)) + " ago, lead time " + Durations.format(policy.leadTime()) + ").";
    }
    return "it was published only " + Durations.format(Duration.between(published, now))
        + " ago (lead time " + Durations.format(policy.leadTime()) + "): verifiers whose JWKS"
        + " cache predates it reject its tokens until they refresh (all by " + knownBy + ").";
  }

  /**
   * The line after the operator handled the revocation: which key it made active, and that
   * replicas switch to it within D (they load the key set with that delay).
   */
  static String afterRevoke(MacpIssuer after, String kid) {
    RotationPolicy policy = IssuerSpecValidator.policyOf(after).rotation();
    String active = after.getStatus().getActiveKid();
    return "revoked " + kid + "; the operator made " + (active == null ? "no key" : active)
        + " active; issuer replicas switch within "
        + Durations.format(policy.propagationDelay());
  }
}
