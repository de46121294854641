package io.macp.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.macp.operator.model.v1alpha1.DeclaredVerifierFinding;
import io.macp.operator.model.v1alpha1.DeclaredVerifiersStatus;
import io.macp.operator.model.v1alpha1.KeyStatus;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.model.v1alpha1.MacpIssuerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The text of {@code kubectl macp status}: pure, from the issuers' status and the time. */
final class StatusView {
  private StatusView() {}

  static String render(List<MacpIssuer> issuers, Instant now) {
    if (issuers.isEmpty()) {
      return "No MacpIssuers found.\n";
    }
    StringBuilder out = new StringBuilder();
    for (MacpIssuer issuer : issuers) {
      out.append(render(issuer, now));
    }
    return out.toString();
  }

  static String render(MacpIssuer issuer, Instant now) {
    StringBuilder out = new StringBuilder();
    MacpIssuerStatus s = issuer.getStatus();
    out.append(issuer.getMetadata().getNamespace()).append('/').append(issuer.getMetadata().getName());
    if (s == null) {
      return out.append("  (no status yet: is the operator running?)\n\n").toString();
    }
    out.append("  Ready=").append(condition(s, "Ready").map(Condition::getStatus).orElse("Unknown"));
    out.append("  active kid=").append(s.getActiveKid() == null ? "<none>" : s.getActiveKid());
    out.append("  next rotation=").append(s.getNextRotationAt() == null ? "<none>"
        : s.getNextRotationAt() + " (" + Times.relative(Instant.parse(s.getNextRotationAt()), now) + ")");
    out.append('\n');
    if (s.getJwksUrl() != null) {
      out.append("  JWKS: ").append(s.getJwksUrl()).append('\n');
    }
    if (s.getKeys() != null && !s.getKeys().isEmpty()) {
      out.append("  keys:\n");
      Table t = new Table("KID", "ALG", "PHASE", "PUBLISHED", "ACTIVE FROM", "RETIRES", "REMOVED");
      for (KeyStatus k : s.getKeys()) {
        t.row(k.getKid(), k.getAlgorithm(),
            k.getRevokedAt() != null ? "Revoked" : k.getPhase(),
            Times.relative(k.getCreatedAt(), now), Times.relative(k.getActivateAt(), now),
            Times.relative(k.getRetireAt(), now), Times.relative(k.getRemoveAt(), now));
      }
      out.append(t.render("    "));
    }
    out.append(CoverageView.render(s.getVerifiers(), now));
    declared(s.getDeclaredVerifiers(), out);
    if (s.getConditions() != null && !s.getConditions().isEmpty()) {
      out.append("  conditions:\n");
      Table t = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
      for (Condition c : s.getConditions()) {
        t.row(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
      }
      out.append(t.render("    "));
    }
    if (s.getHandledRotateNonce() != null || s.getHandledRevoke() != null) {
      out.append("  handled requests: rotate=").append(nullToDash(s.getHandledRotateNonce()))
          .append(" revoke=").append(nullToDash(s.getHandledRevoke())).append('\n');
    }
    return out.append('\n').toString();
  }

  /**
   * The check of spec.verifiers (status.declaredVerifiers, only with spec.verifiers set): how many
   * runtime workloads matched and each finding with what to change (docs/verifiers.md).
   */
  static void declared(DeclaredVerifiersStatus d, StringBuilder out) {
    if (d == null) {
      return;
    }
    int count = d.getFindingCount() == null ? 0 : d.getFindingCount();
    out.append("  declared verifiers: ").append(d.getWorkloads() == null ? "-" : d.getWorkloads())
        .append(" workload(s), ").append(count).append(" finding(s)\n");
    List<DeclaredVerifierFinding> findings =
        d.getFindings() == null ? List.of() : d.getFindings();
    for (DeclaredVerifierFinding f : findings) {
      out.append("    ").append(nullToDash(f.getReason())).append(' ');
      if (f.getWorkload() != null) {
        out.append(f.getWorkload());
        if (f.getContainer() != null) {
          out.append(" (").append(f.getContainer()).append(')');
        }
        out.append(": ");
      }
      out.append(nullToDash(f.getMessage())).append('\n');
    }
    if (count > findings.size()) {
      out.append("    and ").append(count - findings.size()).append(" more\n");
    }
  }

  static Optional<Condition> condition(MacpIssuerStatus s, String type) {
    return s.getConditions() == null ? Optional.empty()
        : s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }
}
