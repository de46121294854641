package io.macp.operator.reconciler;

import io.macp.operator.model.v1alpha1.DeclaredVerifierFinding;
import io.macp.operator.model.v1alpha1.DeclaredVerifiersStatus;
import io.macp.operator.verifiers.DeclaredVerifierCheck;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Finding;
import io.macp.operator.verifiers.DeclaredVerifierReader;
import java.util.List;
import java.util.Optional;

/**
 * The check of spec.verifiers as status ({@code status.declaredVerifiers}), the
 * {@code VerifiersConfigured} condition and, when the verdict changes, a Warning event. Pure.
 *
 * @param status status.declaredVerifiers, or null when the workloads could not be read
 * @param ready the condition's status: True, False (a certain finding) or Unknown (only findings
 *     that can't be checked, or the workloads could not be read)
 * @param reason Configured, the most severe finding's reason, or NotReadable
 * @param message the condition's message: the findings (at most {@value #MAX_IN_MESSAGE}) with
 *     what to change, at most {@value #MAX_MESSAGE} characters
 */
record DeclaredVerifiersReport(DeclaredVerifiersStatus status, String ready, String reason,
    String message) {
  static final String CONFIGURED = "Configured";
  static final String NOT_READABLE = "NotReadable";
  static final String MISCONFIGURED_EVENT = "VerifiersMisconfigured";
  static final String NOT_CHECKED_EVENT = "VerifiersNotChecked";
  static final int MAX_FINDINGS = 20;
  static final int MAX_IN_MESSAGE = 5;
  static final int MAX_MESSAGE = 2048;
  /** Events are shorter: events.k8s.io limits a note to 1 KiB. */
  static final int MAX_EVENT_MESSAGE = 1000;

  static DeclaredVerifiersReport of(DeclaredVerifierReader.Read read,
      DeclaredVerifierCheck.Expectations expected, String namespace, String selector) {
    if (read instanceof DeclaredVerifierReader.Failed failed) {
      return new DeclaredVerifiersReport(null, IssuerConditions.UNKNOWN, NOT_READABLE,
          failed.message());
    }
    DeclaredVerifierReader.Listed listed = (DeclaredVerifierReader.Listed) read;
    DeclaredVerifierCheck.Result result = DeclaredVerifierCheck.check(expected, namespace,
        selector, listed.workloads(), listed.configMaps());
    List<Finding> findings = result.findings();
    DeclaredVerifiersStatus s = new DeclaredVerifiersStatus();
    s.setWorkloads(result.workloads());
    s.setFindingCount(findings.size());
    s.setFindings(findings.stream().limit(MAX_FINDINGS).map(f -> {
      DeclaredVerifierFinding out = new DeclaredVerifierFinding();
      out.setWorkload(f.workload());
      out.setContainer(f.container());
      out.setReason(f.reason().name());
      out.setMessage(f.message());
      return out;
    }).toList());
    String partly = listed.truncated() ? " (only the first "
        + DeclaredVerifierReader.MAX_PER_KIND + " of each kind were checked)" : "";
    if (findings.isEmpty()) {
      return new DeclaredVerifiersReport(s, IssuerConditions.TRUE, CONFIGURED,
          result.workloads() + " workload(s) checked" + partly + ": each fetches the JWKS by URL"
              + " and caches it at most " + expected.maxTtlSeconds() + "s (verifierCacheTtl +"
              + " verifierStaleGrace)");
    }
    Finding worst = findings.get(0);
    String ready = worst.reason().certain() ? IssuerConditions.FALSE : IssuerConditions.UNKNOWN;
    StringBuilder m = new StringBuilder();
    m.append(findings.size()).append(" finding(s) in ").append(result.workloads())
        .append(" workload(s)").append(partly).append(": ");
    int shown = 0;
    for (Finding f : findings) {
      if (shown == MAX_IN_MESSAGE) {
        break;
      }
      String item = (shown > 0 ? "; " : "") + (f.workload() == null ? ""
          : f.workload() + (f.container() == null ? "" : " container " + f.container()) + ": ")
          + f.message();
      if (m.length() + item.length() > MAX_MESSAGE - 80) {
        break;
      }
      m.append(item);
      shown++;
    }
    if (shown < findings.size()) {
      m.append("; and ").append(findings.size() - shown)
          .append(" more in status.declaredVerifiers");
    }
    return new DeclaredVerifiersReport(s, ready, worst.reason().name(), m.toString());
  }

  /**
   * The Warning to raise when the verdict is new (the previous condition had another status or
   * message): a certain finding, or the workloads could not be read. Never on a repeat.
   */
  Optional<KeyEvent> event(boolean sameAsBefore) {
    if (sameAsBefore) {
      return Optional.empty();
    }
    if (IssuerConditions.FALSE.equals(ready)) {
      return Optional.of(KeyEvent.warning(MISCONFIGURED_EVENT, shortened(message)));
    }
    if (NOT_READABLE.equals(reason)) {
      return Optional.of(KeyEvent.warning(NOT_CHECKED_EVENT, shortened(message)));
    }
    return Optional.empty();
  }

  private static String shortened(String text) {
    return text.length() <= MAX_EVENT_MESSAGE ? text
        : text.substring(0, MAX_EVENT_MESSAGE - 40) + "... (see status.declaredVerifiers)";
  }
}
