package io.macp.operator.verifiers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.macp.keyset.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the declared verifier workloads (spec.verifiers) against the key timeline. Pure: it gets
 * the workloads' pod templates and the ConfigMaps read for them, and returns findings, each
 * saying what to change. docs/verifiers.md, "Declared verifiers".
 *
 * <p>The rules come from the MACP runtime's settings (the auth contract, "How the verifier
 * behaves"): {@code MACP_AUTH_JWKS_JSON} (inline JWKS) or {@code MACP_AUTH_JWKS_URL} (fetched,
 * cached {@code MACP_AUTH_JWKS_TTL_SECS} seconds, default {@value #DEFAULT_TTL_SECONDS}),
 * {@code MACP_AUTH_ISSUER}, {@code MACP_AUTH_AUDIENCE} (default {@value #DEFAULT_AUDIENCE}).
 * The key timeline (docs/rotation.md) publishes a key {@code L = D + C + G + K} before it signs,
 * so a cache of at most {@code C + G} (verifierCacheTtl + verifierStaleGrace) holds the key when
 * it activates; a longer one may not. An inline JWKS never learns a new key.
 *
 * <p>Env is resolved as the kubelet does: {@code envFrom} first (a later source wins), then
 * {@code env} in order (wins over envFrom), {@code $(VAR)} expanded against the variables defined
 * before it ({@code $$} escapes). What comes from a Secret, a ConfigMap that was not read, a
 * {@code fieldRef} other than {@code metadata.namespace} or an unresolvable {@code $(VAR)} is
 * unknown: a finding says it can't be checked, never guesses. Only {@code containers} are
 * verifiers (not init containers). Mismatches of issuer and audience are reported only when
 * certain (a known value differs); {@code MACP_AUTH_JWKS_URL} is not compared, since an ingress
 * or proxy may front the issuer.
 */
public final class DeclaredVerifierCheck {
  public static final String JWKS_JSON = "MACP_AUTH_JWKS_JSON";
  public static final String JWKS_URL = "MACP_AUTH_JWKS_URL";
  public static final String JWKS_TTL = "MACP_AUTH_JWKS_TTL_SECS";
  public static final String ISSUER = "MACP_AUTH_ISSUER";
  public static final String AUDIENCE = "MACP_AUTH_AUDIENCE";
  static final long DEFAULT_TTL_SECONDS = 300;
  static final String DEFAULT_AUDIENCE = "macp-runtime";
  private static final List<String> VARIABLES = List.of(JWKS_JSON, JWKS_URL, JWKS_TTL, ISSUER,
      AUDIENCE);
  /** Quoted values are cut to this many characters in messages. */
  static final int MAX_QUOTED = 64;

  /** Finding kinds, most severe first (the condition's reason is the most severe one). */
  public enum Reason {
    /** MACP_AUTH_JWKS_JSON is set: the verifier never learns a new key. */
    InlineJwks,
    /** MACP_AUTH_JWKS_TTL_SECS (or its default 300) exceeds verifierCacheTtl + verifierStaleGrace. */
    CacheTooLong,
    /** MACP_AUTH_JWKS_TTL_SECS is not a whole number of seconds. */
    InvalidTtl,
    /** Neither a JWKS URL nor an inline JWKS: it can't verify this issuer's tokens. */
    NoJwksSource,
    /** MACP_AUTH_ISSUER differs from this issuer's iss. */
    IssuerMismatch,
    /** MACP_AUTH_AUDIENCE (or its default) differs from spec.audience. */
    AudienceMismatch,
    /** The selector matches no workload. */
    NoMatchingWorkload,
    /** A value that matters can't be read (a Secret, an unread ConfigMap, ...). */
    Unverifiable;

    /** Whether the finding is certain to be wrong (else it is only unknown). */
    public boolean certain() {
      return this != Unverifiable;
    }
  }

  /**
   * What the issuer promises and expects.
   *
   * @param verifierCacheTtl C, spec.rotation.verifierCacheTtl
   * @param verifierStaleGrace G, spec.rotation.verifierStaleGrace
   * @param jwksUrl the URL verifiers should fetch (status.jwksUrl)
   * @param issuerClaim the iss the issuer signs
   * @param audience the aud the issuer signs (spec.audience)
   */
  public record Expectations(Duration verifierCacheTtl, Duration verifierStaleGrace,
      String jwksUrl, String issuerClaim, String audience) {
    /** The longest cache the timeline covers, in whole seconds: {@code floor(C + G)}. */
    public long maxTtlSeconds() {
      return verifierCacheTtl.plus(verifierStaleGrace).toSeconds();
    }
  }

  /**
   * One workload's pod template.
   *
   * @param kind Deployment, StatefulSet or DaemonSet
   * @param namespace where it runs (what {@code fieldRef: metadata.namespace} gives)
   */
  public record Workload(String kind, String name, String namespace, PodSpec pod) {
    public String ref() {
      return kind + "/" + name;
    }
  }

  /**
   * The ConfigMaps read for the workloads: their data by name, and the names that do not exist.
   * A name in neither was not read (not allowed, or over the cap): its values are unknown.
   */
  public record ConfigMaps(Map<String, Map<String, String>> found, Set<String> missing) {
    public static final ConfigMaps NONE = new ConfigMaps(Map.of(), Set.of());

    public ConfigMaps {
      found = Map.copyOf(found);
      missing = Set.copyOf(missing);
    }
  }

  /**
   * One finding.
   *
   * @param workload Kind/name, or null for NoMatchingWorkload
   * @param container the container's name, or null when about the whole workload
   * @param message what is wrong and what to change
   */
  public record Finding(Reason reason, String workload, String container, String message) {}

  /**
   * @param workloads how many workloads were checked
   * @param findings most severe first, then by workload and container
   */
  public record Result(int workloads, List<Finding> findings) {
    public Result {
      findings = List.copyOf(findings);
    }
  }

  private DeclaredVerifierCheck() {}

  /**
   * Checks every workload.
   *
   * @param selector described in the NoMatchingWorkload finding
   */
  public static Result check(Expectations expected, String namespace, String selector,
      List<Workload> workloads, ConfigMaps configMaps) {
    List<Finding> findings = new ArrayList<>();
    if (workloads.isEmpty()) {
      findings.add(new Finding(Reason.NoMatchingWorkload, null, null,
          "no Deployment, StatefulSet or DaemonSet in namespace " + namespace
              + " matches spec.verifiers.selector (" + selector + "); fix the selector or the"
              + " runtime workloads' labels (workloads in other namespaces are not seen)"));
    }
    for (Workload w : workloads) {
      findings.addAll(checkWorkload(expected, w, configMaps));
    }
    findings.sort(Comparator.comparing(Finding::reason)
        .thenComparing(f -> f.workload() == null ? "" : f.workload())
        .thenComparing(f -> f.container() == null ? "" : f.container()));
    return new Result(workloads.size(), findings);
  }

  /** The ConfigMaps the workloads' containers take env from, in order of first mention. */
  public static List<String> referencedConfigMaps(List<Workload> workloads) {
    Set<String> names = new LinkedHashSet<>();
    for (Workload w : workloads) {
      for (Container c : containers(w)) {
        for (EnvFromSource from : nonNull(c.getEnvFrom())) {
          if (from.getConfigMapRef() != null && from.getConfigMapRef().getName() != null) {
            names.add(from.getConfigMapRef().getName());
          }
        }
        for (EnvVar e : nonNull(c.getEnv())) {
          EnvVarSource src = e.getValueFrom();
          if (src != null && src.getConfigMapKeyRef() != null
              && src.getConfigMapKeyRef().getName() != null) {
            names.add(src.getConfigMapKeyRef().getName());
          }
        }
      }
    }
    return List.copyOf(names);
  }

  private static List<Finding> checkWorkload(Expectations expected, Workload w,
      ConfigMaps configMaps) {
    List<Finding> out = new ArrayList<>();
    List<String> unreadSources = new ArrayList<>();
    boolean anyRuntime = false;
    for (Container c : containers(w)) {
      Env env = Env.resolve(c, w.namespace(), configMaps);
      boolean runtime = VARIABLES.stream().anyMatch(env::definite);
      if (!runtime) {
        env.unreadSources().forEach(s -> {
          if (!unreadSources.contains(s)) {
            unreadSources.add(s);
          }
        });
        continue;
      }
      anyRuntime = true;
      checkContainer(expected, w, c.getName(), env, out);
    }
    if (!anyRuntime) {
      if (!unreadSources.isEmpty()) {
        out.add(new Finding(Reason.Unverifiable, w.ref(), null, "cannot check: no container"
            + " sets MACP_AUTH_* variables directly, and they may come from "
            + String.join(", ", unreadSources) + ", which the operator does not read; make sure"
            + " the runtime has " + JWKS_URL + "=" + expected.jwksUrl() + " and " + JWKS_TTL
            + " at most " + expected.maxTtlSeconds()));
      } else {
        out.add(new Finding(Reason.NoJwksSource, w.ref(), null, "no container sets MACP_AUTH_*"
            + " variables, so it does not verify this issuer's tokens; set " + JWKS_URL + "="
            + expected.jwksUrl() + " on the runtime container, or narrow spec.verifiers.selector"
            + " to MACP runtime workloads"));
      }
    }
    return out;
  }

  private static void checkContainer(Expectations expected, Workload w, String container,
      Env env, List<Finding> out) {
    String where = w.ref();
    long max = expected.maxTtlSeconds();
    Optional<Value> json = env.lookup(JWKS_JSON).filter(v -> !v.blank());
    Optional<Value> url = env.lookup(JWKS_URL).filter(v -> !v.blank());
    boolean inline = false;
    if (json.isPresent()) {
      Value v = json.get();
      if (v.known() || v.certainlySet()) {
        inline = true;
        out.add(new Finding(Reason.InlineJwks, where, container, JWKS_JSON + " is set"
            + (v.source() == null ? "" : " (from " + v.source() + ")") + ": an inline JWKS never"
            + " learns a new key and breaks at the first rotation; remove " + JWKS_JSON
            + " and set " + JWKS_URL + "=" + expected.jwksUrl()
            + " (with " + JWKS_TTL + " at most " + max + ")"));
      } else {
        out.add(new Finding(Reason.Unverifiable, where, container, "cannot check " + JWKS_JSON
            + " (it may come from " + v.source() + "); make sure it is not set (an inline JWKS"
            + " breaks at the first rotation) and " + JWKS_URL + "=" + expected.jwksUrl() + " is"));
      }
    }
    if (inline) {
      return; // the TTL does not matter to an inline JWKS
    }
    if (json.isEmpty() && url.isEmpty()) {
      out.add(new Finding(Reason.NoJwksSource, where, container, "neither " + JWKS_URL
          + " nor " + JWKS_JSON + " is set, so it cannot verify this issuer's tokens; set "
          + JWKS_URL + "=" + expected.jwksUrl()));
    } else {
      checkTtl(expected, where, container, env.lookup(JWKS_TTL), out);
    }
    env.lookup(ISSUER).filter(Value::known)
        .filter(v -> !v.value().equals(expected.issuerClaim()))
        .ifPresent(v -> out.add(new Finding(Reason.IssuerMismatch, where, container, ISSUER
            + "=" + quote(v.value()) + " differs from this issuer's iss "
            + quote(expected.issuerClaim()) + ", so it rejects every token of this issuer; set "
            + ISSUER + "=" + expected.issuerClaim())));
    Optional<Value> audience = env.lookup(AUDIENCE);
    String aud = audience.filter(Value::known).map(Value::value)
        .orElse(audience.isEmpty() ? DEFAULT_AUDIENCE : null);
    if (aud != null && !aud.equals(expected.audience())) {
      out.add(new Finding(Reason.AudienceMismatch, where, container, AUDIENCE + "="
          + quote(aud) + (audience.isEmpty() ? " (unset: the runtime's default)" : "")
          + " differs from spec.audience " + quote(expected.audience()) + ", so it rejects every"
          + " token of this issuer; set " + AUDIENCE + "=" + expected.audience()));
    }
  }

  private static void checkTtl(Expectations expected, String where, String container,
      Optional<Value> ttl, List<Finding> out) {
    long max = expected.maxTtlSeconds();
    String limit = "verifierCacheTtl + verifierStaleGrace = "
        + Durations.format(expected.verifierCacheTtl().plus(expected.verifierStaleGrace()));
    if (ttl.isPresent() && !ttl.get().known()) {
      out.add(new Finding(Reason.Unverifiable, where, container, "cannot check " + JWKS_TTL
          + " (its value comes from " + ttl.get().source() + "); make sure it is at most " + max
          + " (" + limit + ")"));
      return;
    }
    BigInteger seconds;
    String shown;
    if (ttl.isEmpty()) {
      seconds = BigInteger.valueOf(DEFAULT_TTL_SECONDS);
      shown = " is unset (the runtime's default " + DEFAULT_TTL_SECONDS + ")";
    } else {
      String text = ttl.get().value();
      if (!text.matches("[0-9]+")) {
        out.add(new Finding(Reason.InvalidTtl, where, container, JWKS_TTL + "=" + quote(text)
            + " is not a whole number of seconds; set it to at most " + max + " (" + limit
            + ")"));
        return;
      }
      seconds = new BigInteger(text);
      shown = "=" + text;
    }
    if (seconds.compareTo(BigInteger.valueOf(max)) <= 0) {
      return;
    }
    // C' + G >= ttl, with C' at least C: raising C lengthens the lead time L = D + C + G + K
    Duration raise = seconds.bitLength() < 40
        ? Duration.ofSeconds(seconds.longValueExact()).minus(expected.verifierStaleGrace())
        : null;
    out.add(new Finding(Reason.CacheTooLong, where, container, JWKS_TTL + shown
        + " caches the JWKS longer than " + limit + ", so it may reject tokens"
        + " of a newly activated key until it refreshes; lower " + JWKS_TTL + " to at most "
        + max + (raise == null ? "" : " or raise spec.rotation.verifierCacheTtl to at least "
            + Durations.format(raise) + " (which lengthens the lead time)")));
  }

  private static List<Container> containers(Workload w) {
    return w.pod() == null ? List.of() : nonNull(w.pod().getContainers());
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** A value for a message: printable ASCII only, at most {@value #MAX_QUOTED} characters. */
  static String quote(String value) {
    StringBuilder b = new StringBuilder("'");
    int n = 0;
    for (char ch : value.toCharArray()) {
      if (n == MAX_QUOTED) {
        b.append("...");
        break;
      }
      b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
      n++;
    }
    return b.append('\'').toString();
  }

  /**
   * A resolved variable.
   *
   * @param value the value when known, else null
   * @param source where it comes from (for messages), null for a literal
   * @param certainlySet whether it is set even though its value is unknown (a required
   *     Secret key is)
   */
  record Value(String value, String source, boolean certainlySet) {
    static Value known(String value, String source) {
      return new Value(value, source, true);
    }

    static Value unknown(String source, boolean certainlySet) {
      return new Value(null, source, certainlySet);
    }

    boolean known() {
      return value != null;
    }

    boolean blank() {
      return value != null && value.isBlank();
    }
  }

  /** A container's environment as the kubelet builds it, as far as it can be known. */
  static final class Env {
    private final Map<String, Value> fromEnvFrom = new HashMap<>();
    private final Map<String, Value> fromEnv = new HashMap<>();
    /** envFrom sources whose keys are unknown: prefix and description. */
    private final List<String[]> unread = new ArrayList<>();

    static Env resolve(Container c, String namespace, ConfigMaps configMaps) {
      Env env = new Env();
      for (EnvFromSource from : nonNull(c.getEnvFrom())) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          String name = from.getConfigMapRef().getName();
          boolean optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
          Map<String, String> data = configMaps.found().get(name);
          if (data != null) {
            data.forEach((k, v) -> env.fromEnvFrom.put(prefix + k,
                Value.known(v, "ConfigMap " + name)));
          } else if (!(configMaps.missing().contains(name) && optional)) {
            env.unread.add(new String[] {prefix, "ConfigMap " + name
                + (configMaps.missing().contains(name) ? " (which does not exist)" : "")});
          }
        } else if (from.getSecretRef() != null) {
          env.unread.add(new String[] {prefix, "Secret " + from.getSecretRef().getName()});
        }
      }
      for (EnvVar e : nonNull(c.getEnv())) {
        if (e.getName() == null) {
          continue;
        }
        Optional<Value> v = env.evaluate(e, namespace, configMaps);
        if (v.isPresent()) {
          env.fromEnv.put(e.getName(), v.get());
        }
      }
      return env;
    }

    /** Empty when the kubelet leaves the variable out (an optional reference that is missing). */
    private Optional<Value> evaluate(EnvVar e, String namespace, ConfigMaps configMaps) {
      EnvVarSource src = e.getValueFrom();
      if (src == null) {
        return Optional.of(expand(e.getValue() == null ? "" : e.getValue()));
      }
      if (src.getConfigMapKeyRef() != null) {
        String name = src.getConfigMapKeyRef().getName();
        String key = src.getConfigMapKeyRef().getKey();
        boolean optional = Boolean.TRUE.equals(src.getConfigMapKeyRef().getOptional());
        Map<String, String> data = configMaps.found().get(name);
        String where = "ConfigMap " + name + " key " + key;
        if (data != null && data.containsKey(key)) {
          return Optional.of(Value.known(data.get(key), where));
        }
        if (data != null || configMaps.missing().contains(name)) {
          return optional ? Optional.empty()
              : Optional.of(Value.unknown(where + ", which does not exist", true));
        }
        return Optional.of(Value.unknown(where, !optional));
      }
      if (src.getSecretKeyRef() != null) {
        return Optional.of(Value.unknown("Secret " + src.getSecretKeyRef().getName() + " key "
            + src.getSecretKeyRef().getKey() + ", never read by the operator",
            !Boolean.TRUE.equals(src.getSecretKeyRef().getOptional())));
      }
      if (src.getFieldRef() != null) {
        String path = src.getFieldRef().getFieldPath();
        return Optional.of("metadata.namespace".equals(path) ? Value.known(namespace, null)
            : Value.unknown("the pod's field " + path, true));
      }
      return Optional.of(Value.unknown("a resource field", true));
    }

    /**
     * Kubernetes' {@code $(VAR)} expansion (k8s.io/kubernetes third_party/forked/golang/expansion):
     * {@code $$} is a literal {@code $}, {@code $(NAME)} the value of a variable defined before,
     * anything else is kept. A reference to a variable whose value is unknown, or that is not
     * defined here (it may be a Service link variable), makes the whole value unknown.
     */
    private Value expand(String input) {
      StringBuilder out = new StringBuilder();
      int checkpoint = 0;
      for (int cursor = 0; cursor < input.length(); cursor++) {
        if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
          continue;
        }
        out.append(input, checkpoint, cursor);
        char next = input.charAt(cursor + 1);
        int advance = 1;
        if (next == '$') {
          out.append('$');
        } else if (next == '(') {
          int close = input.indexOf(')', cursor + 2);
          if (close < 0) {
            out.append("$(");
          } else {
            String name = input.substring(cursor + 2, close);
            Optional<Value> v = lookup(name);
            if (v.isEmpty()) {
              return Value.unknown("$(" + name + "), which is not defined before it in the"
                  + " container", true);
            }
            if (!v.get().known()) {
              return Value.unknown("$(" + name + ") from " + v.get().source(), true);
            }
            out.append(v.get().value());
            advance = close - cursor;
          }
        } else {
          out.append('$').append(next);
        }
        cursor += advance;
        checkpoint = cursor + 1;
      }
      out.append(input.substring(Math.min(checkpoint, input.length())));
      return Value.known(out.toString(), null);
    }

    /** A variable as the container sees it: env, else an unread envFrom source, else envFrom. */
    Optional<Value> lookup(String name) {
      Value v = fromEnv.get(name);
      if (v != null) {
        return Optional.of(v);
      }
      for (String[] source : unread) {
        if (name.startsWith(source[0])) {
          return Optional.of(Value.unknown(source[1], false));
        }
      }
      return Optional.ofNullable(fromEnvFrom.get(name));
    }

    /** Set in env or by a ConfigMap that was read: this container is a runtime. */
    boolean definite(String name) {
      return fromEnv.containsKey(name) || fromEnvFrom.containsKey(name);
    }

    List<String> unreadSources() {
      return unread.stream().map(s -> s[1]).toList();
    }
  }
}
