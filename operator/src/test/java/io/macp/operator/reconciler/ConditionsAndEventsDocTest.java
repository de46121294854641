package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.macp.operator.crd.ProjectFiles;
import io.macp.operator.verifiers.DeclaredVerifierCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's table of condition reasons and events lists every one the reconciler
 * writes. The names come from the source (CamelCase string literals and condition reasons), so a
 * new reason or event without a documented remedy fails here.
 */
class ConditionsAndEventsDocTest {
  private static final Pattern CAMEL = Pattern.compile("\"([A-Z][a-z]+(?:[A-Z][a-z]+)+)\"");
  private static final Pattern REASON = Pattern.compile(
      "(?:(?:TRUE|FALSE|UNKNOWN),|REASON_[A-Z_]+ =)\\s*\"([A-Za-z]+)\"");
  /** Not reasons or events: condition types (documented with the status) and spec enum values. */
  private static final Set<String> NOT_NAMES = Set.of(IssuerConditions.KEYS_READY,
      IssuerConditions.ROTATION_BLOCKED, IssuerConditions.MINT_SECURED);
  private static final List<String> SKIPPED_FILES =
      List.of("IssuerMetrics.java");

  @Test
  void everyReasonAndEventHasARow() throws IOException {
    Path dir = ProjectFiles.root().resolve("operator/src/main/java/io/macp/operator/reconciler");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> !SKIPPED_FILES.contains(f.getFileName().toString())).toList()) {
        String source = Files.readString(f);
        for (Pattern p : List.of(CAMEL, REASON)) {
          Matcher m = p.matcher(source);
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    // spec.verifiers findings are the VerifiersConfigured condition's reasons
    for (DeclaredVerifierCheck.Reason r : DeclaredVerifierCheck.Reason.values()) {
      names.add(r.name());
    }
    names.removeAll(NOT_NAMES);
    assertThat(names).contains("Ready", "KeySetCorrupt", "KeySecretLost", "MintUnauthenticated",
        "KeyPlanWarning", "SpecValid", "Authenticated").hasSizeGreaterThanOrEqualTo(26);
    String doc = Files.readString(ProjectFiles.root().resolve("docs/operations.md"));
    String table = doc.substring(doc.indexOf("## Condition reasons and events"),
        doc.indexOf("## GitOps"));
    for (String name : names) {
      assertThat(table).as(name).contains("| `" + name + "` |");
    }
  }
}
