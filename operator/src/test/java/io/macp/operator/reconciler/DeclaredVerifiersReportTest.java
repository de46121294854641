package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.macp.operator.verifiers.DeclaredVerifierCheck;
import io.macp.operator.verifiers.DeclaredVerifierReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The condition, status and event made of a check: bounded, and one event per verdict. */
class DeclaredVerifiersReportTest {
  static final DeclaredVerifierCheck.Expectations EXPECTED = new DeclaredVerifierCheck.Expectations(
      Duration.ofMinutes(5), Duration.ZERO, "http://auth.ns.svc:3201/.well-known/jwks.json",
      "http://auth.ns.svc:3200", "macp-runtime");

  static DeclaredVerifierCheck.Workload runtime(String name, String... env) {
    ContainerBuilder c = new ContainerBuilder().withName("runtime");
    for (int i = 0; i < env.length; i += 2) {
      c.addNewEnv().withName(env[i]).withValue(env[i + 1]).endEnv();
    }
    return new DeclaredVerifierCheck.Workload("Deployment", name, "ns",
        new PodSpecBuilder().withContainers(c.build()).build());
  }

  static DeclaredVerifiersReport report(List<DeclaredVerifierCheck.Workload> workloads,
      boolean truncated) {
    return DeclaredVerifiersReport.of(new DeclaredVerifierReader.Listed(workloads,
        DeclaredVerifierCheck.ConfigMaps.NONE, truncated), EXPECTED, "ns", "app=rt");
  }

  @Test
  void manyFindingsAreBoundedInStatusMessageAndEvent() {
    List<DeclaredVerifierCheck.Workload> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add(runtime("rt-" + i, "MACP_AUTH_JWKS_JSON", "{\"keys\":[]}"));
    }
    DeclaredVerifiersReport r = report(many, true);
    assertThat(r.ready()).isEqualTo("False");
    assertThat(r.reason()).isEqualTo("InlineJwks");
    assertThat(r.status().getFindingCount()).isEqualTo(60);
    assertThat(r.status().getFindings()).hasSize(DeclaredVerifiersReport.MAX_FINDINGS);
    assertThat(r.message()).hasSizeLessThanOrEqualTo(DeclaredVerifiersReport.MAX_MESSAGE)
        .contains("60 finding(s) in 60 workload(s) (only the first 50 of each kind were checked)",
            "Deployment/rt-0 container runtime", "more in status.declaredVerifiers");
    assertThat(r.event(false)).hasValueSatisfying(e -> {
      assertThat(e.warning()).isTrue();
      assertThat(e.reason()).isEqualTo(DeclaredVerifiersReport.MISCONFIGURED_EVENT);
      assertThat(e.message()).hasSizeLessThanOrEqualTo(DeclaredVerifiersReport.MAX_EVENT_MESSAGE);
    });
    assertThat(r.event(true)).as("the same verdict again").isEmpty();
  }

  @Test
  void onlyUncheckableFindingsAreUnknownAndRaiseNoEvent() {
    DeclaredVerifierCheck.Workload fromSecret = new DeclaredVerifierCheck.Workload("StatefulSet",
        "rt", "ns", new PodSpecBuilder().addNewContainer().withName("runtime").addNewEnvFrom()
            .withNewSecretRef().withName("env").endSecretRef().endEnvFrom().endContainer()
            .build());
    DeclaredVerifiersReport r = report(List.of(fromSecret), false);
    assertThat(r.ready()).isEqualTo("Unknown");
    assertThat(r.reason()).isEqualTo("Unverifiable");
    assertThat(r.event(false)).isEmpty();
  }

  @Test
  void aCleanCheckIsTrueAndAFailedReadUnknownWithAWarning() {
    DeclaredVerifiersReport ok = report(List.of(runtime("rt", "MACP_AUTH_JWKS_URL",
        EXPECTED.jwksUrl(), "MACP_AUTH_JWKS_TTL_SECS", "300")), false);
    assertThat(ok.ready()).isEqualTo("True");
    assertThat(ok.reason()).isEqualTo(DeclaredVerifiersReport.CONFIGURED);
    assertThat(ok.status().getWorkloads()).isEqualTo(1);
    assertThat(ok.event(false)).isEmpty();

    DeclaredVerifiersReport failed = DeclaredVerifiersReport.of(
        new DeclaredVerifierReader.Failed("the operator may not list statefulsets"), EXPECTED,
        "ns", "app=rt");
    assertThat(failed.ready()).isEqualTo("Unknown");
    assertThat(failed.reason()).isEqualTo(DeclaredVerifiersReport.NOT_READABLE);
    assertThat(failed.status()).isNull();
    assertThat(failed.event(false)).hasValueSatisfying(e ->
        assertThat(e.reason()).isEqualTo(DeclaredVerifiersReport.NOT_CHECKED_EVENT));
  }
}
