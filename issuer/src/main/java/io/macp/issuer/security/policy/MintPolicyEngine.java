package io.macp.issuer.security.policy;

import io.macp.issuer.api.AuthenticationMode;
import io.macp.issuer.http.MintDecision;
import io.macp.issuer.security.SecurityMetrics;
import io.macp.issuer.security.authn.AuthOutcome;
import io.macp.issuer.security.authn.CallerId;
import io.macp.issuer.security.authn.MintCaller;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The mint policy's decision for one request that passed the contract's validation, in this
 * order: authenticate (401), find the caller's binding (403), rate limit (429), sender (403),
 * scope ceiling (403), then the TTL ceiling (clamp, like the contract clamps). Pure apart from the
 * rate limiter's buckets and the TokenReview call; counts every denial.
 */
public final class MintPolicyEngine {
  private final Supplier<ActivePolicy> policy;
  private final TokenBucketRateLimiter limiter;
  private final SecurityMetrics metrics;

  public MintPolicyEngine(
      Supplier<ActivePolicy> policy, TokenBucketRateLimiter limiter, SecurityMetrics metrics) {
    this.policy = policy;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /**
   * @param sender the requested sender
   * @param scopes the requested scopes ({@code {}} when absent)
   * @param ttlSeconds the contract's effective TTL (default applied, maximum clamped)
   */
  public MintDecision decide(
      MintCaller caller, String sender, Map<String, Object> scopes, long ttlSeconds) {
    Admission admission = authenticate(caller);
    if (admission.denial() != null) {
      return admission.denial();
    }
    return authorize(admission, sender, scopes, ttlSeconds);
  }

  /**
   * The first step alone, on the headers: the policy in force and who the caller is, or the 401.
   *
   * @param active the policy the caller was authenticated under; the rest of the decision uses it
   * @param caller the authenticated caller, or null when denied
   * @param denial the 401, or null when authenticated
   */
  public record Admission(ActivePolicy active, CallerId caller, MintDecision.Deny denial) {}

  /** Authenticates with the policy in force; a failure is counted like any denial. */
  public Admission authenticate(MintCaller caller) {
    ActivePolicy active = policy.get();
    AuthOutcome auth = active.authenticator().authenticate(caller);
    if (!auth.isAuthenticated()) {
      MintDecision.Deny deny = (MintDecision.Deny)
          deny(active.policy().authentication(), auth.failure(), null, null, 0);
      return new Admission(active, null, deny);
    }
    return new Admission(active, auth.caller(), null);
  }

  /** The rest of the decision for an admitted caller: binding, rate, sender, scopes, TTL. */
  public MintDecision authorize(
      Admission admission, String sender, Map<String, Object> scopes, long ttlSeconds) {
    if (admission.denial() != null) {
      return admission.denial();
    }
    ActivePolicy active = admission.active();
    AuthenticationMode mode = active.policy().authentication();
    CallerId who = admission.caller();
    if (active.isOpen()) {
      return MintDecision.allow(who.value());
    }
    ClientBinding binding = active.bindings().get(who);
    if (binding == null) {
      return deny(mode, DenialReason.NO_CLIENT_BINDING, null, who, 0);
    }
    if (binding.rateLimit() != null) {
      OptionalLong wait = limiter.tryAcquire(who, binding.rateLimit());
      if (wait.isPresent()) {
        return deny(mode, DenialReason.RATE_LIMITED, null, who, wait.getAsLong());
      }
    }
    if (!binding.allowsSender(sender)) {
      return deny(mode, DenialReason.SENDER_NOT_ALLOWED, null, who, 0);
    }
    Optional<String> excess = ScopeCheck.firstExcess(binding.scopes(), scopes);
    if (excess.isPresent()) {
      return deny(mode, DenialReason.SCOPE_EXCEEDS_CEILING, excess.get(), who, 0);
    }
    if (binding.maxTtl() != null && binding.maxTtl().toSeconds() < ttlSeconds) {
      return MintDecision.allow(who.value(), binding.maxTtl().toSeconds());
    }
    return MintDecision.allow(who.value());
  }

  private MintDecision deny(AuthenticationMode mode, DenialReason reason, String detail,
      CallerId who, long retryAfter) {
    metrics.denied(reason, mode);
    String audited = detail == null ? reason.label() : reason.label() + ":" + detail;
    String caller = who == null ? MintDecision.ANONYMOUS : who.value();
    return switch (reason.status()) {
      case 401 -> MintDecision.unauthenticated(audited);
      case 429 -> MintDecision.rateLimited(caller, audited, retryAfter);
      default -> MintDecision.forbidden(caller, audited);
    };
  }
}
