package io.macp.issuer.security.policy;

import io.macp.issuer.security.authn.CallerId;
import java.time.Duration;
import java.util.List;

/**
 * What one caller identity may mint.
 *
 * @param caller the identity this binding is for
 * @param senders exact names or globs; the requested sender must match one
 * @param maxTtl TTL ceiling, or null for the issuer's own maximum; a longer request is clamped
 * @param scopes scope ceiling ({@link ScopeCeiling#unlimited()} when the policy gives none)
 * @param rateLimit per-caller token bucket, or null for none
 */
public record ClientBinding(
    CallerId caller,
    List<SenderPattern> senders,
    Duration maxTtl,
    ScopeCeiling scopes,
    RateLimit rateLimit) {

  public ClientBinding {
    senders = List.copyOf(senders);
  }

  public boolean allowsSender(String sender) {
    for (SenderPattern p : senders) {
      if (p.matches(sender)) {
        return true;
      }
    }
    return false;
  }
}
