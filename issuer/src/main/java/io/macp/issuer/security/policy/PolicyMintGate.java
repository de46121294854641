package io.macp.issuer.security.policy;

import io.javalin.http.Context;
import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.files.PolledValue;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.http.MintGate;
import io.macp.issuer.http.MintRequest;
import io.macp.issuer.security.InvalidPolicyException;
import io.macp.issuer.security.SecurityMetrics;
import io.macp.issuer.security.authn.MintCaller;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mint gate configured by a policy file ({@code MACP_AUTH_MINT_POLICY_FILE}), reloaded without
 * a restart: a changed policy or token directory replaces the old one only when it is valid.
 */
public final class PolicyMintGate implements MintGate {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyMintGate.class);

  private final PolledValue<MintPolicySource.Inputs, ActivePolicy> reloader;
  private final MintPolicyEngine engine;

  private PolicyMintGate(
      PolledValue<MintPolicySource.Inputs, ActivePolicy> reloader, MintPolicyEngine engine) {
    this.reloader = reloader;
    this.engine = engine;
  }

  /**
   * Loads the policy (failing with the reason when it is unusable) and polls it every
   * {@code pollInterval}.
   */
  public static PolicyMintGate open(
      Path policyFile, Duration pollInterval, MeterRegistry registry, Clock clock)
      throws InvalidPolicyException {
    SecurityMetrics metrics = new SecurityMetrics(registry);
    TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(clock);
    PolledValue<MintPolicySource.Inputs, ActivePolicy> reloader = new PolledValue<>(
        "mint-policy", new MintPolicySource(policyFile, clock, metrics), metrics::reloadFailed,
        active -> {
          limiter.retainOnly(active.bindings().keySet());
          describe(active);
        }, InvalidPolicyException::new);
    // Credentials follow their files at every poll, even while the policy file is invalid.
    reloader.start(pollInterval, active -> active.authenticator().refresh());
    return new PolicyMintGate(reloader, new MintPolicyEngine(reloader::current, limiter, metrics));
  }

  /** A factory for the HTTP server; the policy is loaded once per server instance. */
  public static Factory factory(Path policyFile, Duration pollInterval, Clock clock) {
    return registry -> {
      try {
        return open(policyFile, pollInterval, registry, clock);
      } catch (InvalidPolicyException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
  }

  /** The request attribute that carries the admission from {@link #admit} to {@link #decide}. */
  private static final String ADMISSION = PolicyMintGate.class.getName() + ".admission";

  @Override
  public MintDecision.Deny admit(Context ctx) {
    MintPolicyEngine.Admission admission = engine.authenticate(callerOf(ctx));
    if (admission.denial() != null) {
      return admission.denial();
    }
    ctx.attribute(ADMISSION, admission);
    return null;
  }

  @Override
  public String admittedCaller(Context ctx) {
    MintPolicyEngine.Admission admission = ctx.attribute(ADMISSION);
    return admission == null || admission.caller() == null ? null : admission.caller().value();
  }

  @Override
  public MintDecision decide(Context ctx, MintRequest request) {
    // Normally admitted already (the mint route calls admit first); else authenticate now.
    MintPolicyEngine.Admission admission = ctx.attribute(ADMISSION);
    if (admission == null) {
      admission = engine.authenticate(callerOf(ctx));
    }
    return engine.authorize(
        admission, request.sender(), request.scopes(), request.ttlSeconds());
  }

  /** The authentication mode of the policy in force (a reload may change it). */
  public AuthenticationMode authenticationMode() {
    return reloader.current().policy().authentication();
  }

  /** Checks the files now, as one poll does (tests; the poller does this on its own). */
  public boolean reloadNow() {
    boolean reloaded = reloader.checkNow();
    reloader.current().authenticator().refresh();
    return reloaded;
  }

  static MintCaller callerOf(Context ctx) {
    List<String> auth = Collections.list(ctx.req().getHeaders("Authorization"));
    // Two Authorization headers are ambiguous: treat them as malformed, never pick one.
    String header = auth.isEmpty() ? null : auth.size() == 1 ? auth.get(0) : "";
    return new MintCaller(header);
  }

  private static void describe(ActivePolicy active) {
    MintPolicy p = active.policy();
    if (active.isOpen()) {
      LOG.warn("mint policy: authentication None without clients: ANYONE who reaches the port can"
          + " mint ANY sender with ANY scopes (the reference behaviour); see docs/security.md");
    } else {
      LOG.info("mint policy: authentication {}, {} client binding(s)",
          p.authentication().policyName(), p.clients().size());
    }
  }

  @Override
  public void close() {
    reloader.close();
  }
}
