package io.macp.operator.verifiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.macp.operator.verifiers.DeclaredVerifierCheck.ConfigMaps;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Expectations;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Finding;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Reason;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Result;
import io.macp.operator.verifiers.DeclaredVerifierCheck.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each kind of finding, the TTL boundary, and env resolved as the kubelet resolves it. */
class DeclaredVerifierCheckTest {
  static final String URL = "http://auth.team-a.svc:3201/.well-known/jwks.json";
  static final String ISS = "http://auth.team-a.svc:3200";
  /** C = 5m, G = 1h: caches up to 3900 s are covered. */
  static final Expectations EXPECTED = new Expectations(Duration.ofMinutes(5),
      Duration.ofHours(1), URL, ISS, "macp-runtime");

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static List<EnvVar> good(String ttl) {
    List<EnvVar> env = new ArrayList<>(List.of(env("MACP_AUTH_ISSUER", ISS),
        env("MACP_AUTH_AUDIENCE", "macp-runtime"), env("MACP_AUTH_JWKS_URL", URL)));
    if (ttl != null) {
      env.add(env("MACP_AUTH_JWKS_TTL_SECS", ttl));
    }
    return env;
  }

  static Workload deployment(String name, Container... containers) {
    return new Workload("Deployment", name, "team-a",
        new PodSpecBuilder().withContainers(containers).build());
  }

  static Container container(String name, List<EnvVar> env) {
    return new ContainerBuilder().withName(name).withImage("runtime").withEnv(env).build();
  }

  static Result check(Workload... workloads) {
    return check(ConfigMaps.NONE, workloads);
  }

  static Result check(ConfigMaps configMaps, Workload... workloads) {
    return DeclaredVerifierCheck.check(EXPECTED, "team-a", "app=macp-runtime", List.of(workloads),
        configMaps);
  }

  static List<Reason> reasons(Result r) {
    return r.findings().stream().map(Finding::reason).toList();
  }

  @Test
  void aRuntimeWiredAsTheExampleSaysHasNoFinding() {
    assertThat(check(deployment("rt", container("runtime", good("300")))).findings()).isEmpty();
  }

  @Test
  void aTtlOfExactlyCPlusGPassesAndOneSecondMoreFails() {
    assertThat(check(deployment("rt", container("runtime", good("3900")))).findings()).isEmpty();
    Result over = check(deployment("rt", container("runtime", good("3901"))));
    assertThat(reasons(over)).containsExactly(Reason.CacheTooLong);
    assertThat(over.findings().get(0).message())
        .contains("MACP_AUTH_JWKS_TTL_SECS=3901", "lower MACP_AUTH_JWKS_TTL_SECS to at most 3900",
            "raise spec.rotation.verifierCacheTtl to at least 5m1s", "1h5m");
  }

  @Test
  void anUnsetTtlIsTheRuntimesDefault300() {
    Expectations shortCache = new Expectations(Duration.ofMinutes(1), Duration.ZERO, URL, ISS,
        "macp-runtime");
    Result r = DeclaredVerifierCheck.check(shortCache, "team-a", "app=rt",
        List.of(deployment("rt", container("runtime", good(null)))), ConfigMaps.NONE);
    assertThat(reasons(r)).containsExactly(Reason.CacheTooLong);
    assertThat(r.findings().get(0).message()).contains("MACP_AUTH_JWKS_TTL_SECS is unset (the runtime's default 300)",
        "at most 60", "at least 5m");
    assertThat(check(deployment("rt", container("runtime", good(null)))).findings()).isEmpty();
  }

  @Test
  void threeTimesTheCacheWithoutGraceIsTooLong() {
    Expectations noGrace = new Expectations(Duration.ofMinutes(5), Duration.ZERO, URL, ISS,
        "macp-runtime");
    Result r = DeclaredVerifierCheck.check(noGrace, "team-a", "app=rt",
        List.of(deployment("rt", container("runtime", good("900")))), ConfigMaps.NONE);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(Reason.CacheTooLong);
      assertThat(f.workload()).isEqualTo("Deployment/rt");
      assertThat(f.container()).isEqualTo("runtime");
      assertThat(f.message()).contains("at most 300", "at least 15m");
    });
  }

  @Test
  void anInlineJwksBreaksAtTheFirstRotationAndSaysWhatToSetInstead() {
    List<EnvVar> inline = new ArrayList<>(good("99999"));
    inline.removeIf(e -> e.getName().equals("MACP_AUTH_JWKS_URL"));
    inline.add(env("MACP_AUTH_JWKS_JSON", "{\"keys\":[]}"));
    Result r = check(deployment("rt", container("runtime", inline)));
    assertThat(reasons(r)).as("the TTL does not matter to an inline JWKS")
        .containsExactly(Reason.InlineJwks);
    assertThat(r.findings().get(0).message()).contains("remove MACP_AUTH_JWKS_JSON",
        "set MACP_AUTH_JWKS_URL=" + URL, "breaks at the first rotation");
  }

  @Test
  void anInlineJwksFromARequiredSecretKeyIsCertainWithoutReadingTheSecret() {
    List<EnvVar> env = new ArrayList<>(good("300"));
    env.add(new EnvVarBuilder().withName("MACP_AUTH_JWKS_JSON").withNewValueFrom()
        .withNewSecretKeyRef().withName("jwks").withKey("json").endSecretKeyRef()
        .endValueFrom().build());
    Result r = check(deployment("rt", container("runtime", env)));
    assertThat(reasons(r)).containsExactly(Reason.InlineJwks);
    assertThat(r.findings().get(0).message()).contains("from Secret jwks key json");
  }

  @Test
  void aTtlFromASecretCannotBeChecked() {
    List<EnvVar> env = new ArrayList<>(good(null));
    env.add(new EnvVarBuilder().withName("MACP_AUTH_JWKS_TTL_SECS").withNewValueFrom()
        .withNewSecretKeyRef().withName("rt-secret").withKey("ttl").endSecretKeyRef()
        .endValueFrom().build());
    Result r = check(deployment("rt", container("runtime", env)));
    assertThat(reasons(r)).containsExactly(Reason.Unverifiable);
    assertThat(r.findings().get(0).message()).contains("Secret rt-secret", "at most 3900");
  }

  @Test
  void anUnparsableTtlIsReported() {
    for (String bad : List.of("5m", "300s", " 300", "-1", "3e2", "")) {
      Result r = check(deployment("rt", container("runtime", good(bad))));
      assertThat(reasons(r)).as(bad).containsExactly(Reason.InvalidTtl);
      assertThat(r.findings().get(0).message()).contains("not a whole number of seconds");
    }
  }

  @Test
  void aHugeTtlIsTooLongNotAnError() {
    Result r = check(deployment("rt", container("runtime", good("123456789012345678901234"))));
    assertThat(reasons(r)).containsExactly(Reason.CacheTooLong);
    assertThat(r.findings().get(0).message()).doesNotContain("raise spec.rotation");
  }

  @Test
  void aSelectorThatMatchesNothingIsAFinding() {
    Result r = check();
    assertThat(r.workloads()).isZero();
    assertThat(reasons(r)).containsExactly(Reason.NoMatchingWorkload);
    assertThat(r.findings().get(0).message()).contains("app=macp-runtime", "team-a");
  }

  @Test
  void aWorkloadWithoutAnyMacpAuthVariableIsNotAVerifier() {
    Result r = check(deployment("web", container("nginx", List.of(env("PORT", "80")))));
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(Reason.NoJwksSource);
      assertThat(f.container()).isNull();
      assertThat(f.message()).contains("narrow spec.verifiers.selector", URL);
    });
  }

  @Test
  void aRuntimeContainerWithoutJwksSourceIsReportedAndSidecarsAreIgnored() {
    Result r = check(deployment("rt",
        container("runtime", List.of(env("MACP_AUTH_ISSUER", ISS))),
        container("proxy", List.of(env("PORT", "15001")))));
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(Reason.NoJwksSource);
      assertThat(f.container()).isEqualTo("runtime");
    });
  }

  @Test
  void issuerAndAudienceMismatchesOnlyWhenCertain() {
    List<EnvVar> env = new ArrayList<>(good("300"));
    env.replaceAll(e -> e.getName().equals("MACP_AUTH_ISSUER") ? env(e.getName(), ISS + "/")
        : e);
    env.removeIf(e -> e.getName().equals("MACP_AUTH_AUDIENCE"));
    Expectations otherAudience = new Expectations(Duration.ofMinutes(5), Duration.ofHours(1),
        URL, ISS, "billing");
    Result r = DeclaredVerifierCheck.check(otherAudience, "team-a", "app=rt",
        List.of(deployment("rt", container("runtime", env))), ConfigMaps.NONE);
    assertThat(reasons(r)).containsExactly(Reason.IssuerMismatch, Reason.AudienceMismatch);
    assertThat(r.findings().get(0).message()).contains("set MACP_AUTH_ISSUER=" + ISS);
    assertThat(r.findings().get(1).message()).contains("unset: the runtime's default",
        "set MACP_AUTH_AUDIENCE=billing");

    // an issuer from a Secret: not certain, not reported
    List<EnvVar> fromSecret = new ArrayList<>(good("300"));
    fromSecret.replaceAll(e -> e.getName().equals("MACP_AUTH_ISSUER")
        ? new EnvVarBuilder().withName("MACP_AUTH_ISSUER").withNewValueFrom()
            .withNewSecretKeyRef().withName("s").withKey("iss").endSecretKeyRef().endValueFrom()
            .build()
        : e);
    assertThat(check(deployment("rt", container("runtime", fromSecret))).findings()).isEmpty();
  }

  /** examples/macp-runtime.yaml: $(POD_NAMESPACE) from the downward API, expanded. */
  @Test
  void dependentVariablesAreExpandedLikeTheKubelet() {
    List<EnvVar> env = List.of(
        new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
        env("MACP_AUTH_ISSUER", "http://auth.$(POD_NAMESPACE).svc:3200"),
        env("MACP_AUTH_JWKS_URL", "http://auth.$(POD_NAMESPACE).svc:3201/.well-known/jwks.json"),
        env("MACP_AUTH_JWKS_TTL_SECS", "300"));
    assertThat(check(deployment("rt", container("runtime", env))).findings()).isEmpty();

    // $$ escapes; a name defined only later is not expanded (kubelet order) and is unknown
    List<EnvVar> escaped = new ArrayList<>(good(null));
    escaped.add(env("MACP_AUTH_JWKS_TTL_SECS", "$$(X)"));
    assertThat(reasons(check(deployment("rt", container("runtime", escaped)))))
        .containsExactly(Reason.InvalidTtl);
    List<EnvVar> later = new ArrayList<>(good(null));
    later.add(env("MACP_AUTH_JWKS_TTL_SECS", "$(TTL)"));
    later.add(env("TTL", "300"));
    Result r = check(deployment("rt", container("runtime", later)));
    assertThat(reasons(r)).containsExactly(Reason.Unverifiable);
    assertThat(r.findings().get(0).message()).contains("$(TTL)");
    List<EnvVar> before = new ArrayList<>(List.of(env("TTL", "4000")));
    before.addAll(good("$(TTL)"));
    assertThat(reasons(check(deployment("rt", container("runtime", before)))))
        .containsExactly(Reason.CacheTooLong);
  }

  @Test
  void configMapsThatWereReadAreUsedWithPrefixAndPrecedence() {
    Container c = new ContainerBuilder().withName("runtime").withImage("rt")
        .withEnvFrom(new EnvFromSourceBuilder().withNewConfigMapRef().withName("rt-config")
            .endConfigMapRef().withPrefix("MACP_AUTH_").build())
        .withEnv(env("MACP_AUTH_ISSUER", ISS))
        .build();
    ConfigMaps read = new ConfigMaps(Map.of("rt-config", Map.of("JWKS_URL", URL,
        "JWKS_TTL_SECS", "7200")), Set.of());
    Result r = check(read, deployment("rt", c));
    assertThat(reasons(r)).containsExactly(Reason.CacheTooLong);
    assertThat(r.findings().get(0).message()).contains("=7200");

    // env wins over envFrom
    Container overridden = new ContainerBuilder(c).addToEnv(env("MACP_AUTH_JWKS_TTL_SECS", "60"))
        .build();
    assertThat(check(read, deployment("rt", overridden)).findings()).isEmpty();

    // not read: unknown, so it cannot be checked
    Result unread = check(ConfigMaps.NONE, deployment("rt", c));
    assertThat(reasons(unread)).as("JSON and TTL both unknown")
        .containsExactly(Reason.Unverifiable, Reason.Unverifiable);
    assertThat(unread.findings()).allSatisfy(f ->
        assertThat(f.message()).contains("ConfigMap rt-config"));
  }

  @Test
  void aConfigMapKeyRefIsResolvedAndAnOptionalMissingOneLeavesTheDefault() {
    List<EnvVar> env = new ArrayList<>(good(null));
    env.add(new EnvVarBuilder().withName("MACP_AUTH_JWKS_TTL_SECS").withNewValueFrom()
        .withNewConfigMapKeyRef().withName("cfg").withKey("ttl").withOptional(true)
        .endConfigMapKeyRef().endValueFrom().build());
    ConfigMaps withKey = new ConfigMaps(Map.of("cfg", Map.of("ttl", "86400")), Set.of());
    assertThat(reasons(check(withKey, deployment("rt", container("runtime", env)))))
        .containsExactly(Reason.CacheTooLong);
    ConfigMaps missing = new ConfigMaps(Map.of(), Set.of("cfg"));
    assertThat(check(missing, deployment("rt", container("runtime", env))).findings())
        .as("optional and missing: unset, so the default 300").isEmpty();
  }

  @Test
  void envFromASecretOnlyIsUnverifiableNotAMissingSource() {
    Container c = new ContainerBuilder().withName("runtime").withImage("rt")
        .withEnvFrom(new EnvFromSourceBuilder().withNewSecretRef().withName("rt-env")
            .endSecretRef().build())
        .build();
    Result r = check(deployment("rt", c));
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(Reason.Unverifiable);
      assertThat(f.message()).contains("Secret rt-env", "MACP_AUTH_JWKS_URL=" + URL);
    });
    // a TTL set in env directly is still checked, the JSON may come from the Secret
    Container withEnv = new ContainerBuilder(c).withEnv(good("300")).build();
    Result partly = check(deployment("rt", withEnv));
    assertThat(reasons(partly)).containsExactly(Reason.Unverifiable);
    assertThat(partly.findings().get(0).message()).contains("MACP_AUTH_JWKS_JSON");
  }

  @Test
  void findingsAreOrderedMostSevereFirstAndValuesAreQuotedSafely() {
    Result r = check(
        deployment("b", container("runtime", good("abc\u0007" + "x".repeat(100)))),
        deployment("a", container("runtime", good("99999"))));
    assertThat(reasons(r)).containsExactly(Reason.CacheTooLong, Reason.InvalidTtl);
    assertThat(r.findings().get(1).message()).contains("'abc?xxx").contains("...'")
        .doesNotContain("\u0007");
    assertThat(DeclaredVerifierCheck.referencedConfigMaps(List.of())).isEmpty();
  }
}
