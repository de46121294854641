package io.macp.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.macp.keyset.Durations;
import io.macp.operator.model.v1alpha1.KeyStatus;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a MACP verifier (contract: checks signature, iss, aud, exp with leeway; picks the key by
 * kid from a JWKS it caches for C) would accept a token now, and every reason it would not. The
 * token is decoded without being trusted; it is never printed. Pure: the JWKS, the issuer's key
 * status and the clock are inputs.
 *
 * @param jwks the live JWKS (the issuer's {@code <name>-jwks} ConfigMap)
 * @param keys status.keys of the issuer (published, activation, removal, revocation instants)
 * @param issuer the iss verifiers of this issuer expect
 * @param audience the aud they expect
 * @param cache C, how long verifiers cache the JWKS
 * @param propagation D, how long a JWKS update takes to reach every issuer pod
 * @param leeway the verifiers' exp leeway (about 60 s in MACP runtimes)
 */
record TokenExplainer(JWKSet jwks, List<KeyStatus> keys, String issuer, String audience,
    Duration cache, Duration propagation, Duration leeway) {
  private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  /** One check: ok, or the reason a verifier rejects (or may reject). */
  record Check(Outcome outcome, String text) {}

  enum Outcome { OK, MAY_REJECT, REJECT }

  /** The decoded claims (untrusted) and the checks in the order a verifier makes them. */
  record Explanation(String summary, List<Check> checks) {
    Outcome verdict() {
      Outcome worst = Outcome.OK;
      for (Check c : checks) {
        if (c.outcome().ordinal() > worst.ordinal()) {
          worst = c.outcome();
        }
      }
      return worst;
    }
  }

  Explanation explain(String token, Instant now) {
    List<Check> checks = new ArrayList<>();
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token.trim());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      checks.add(new Check(Outcome.REJECT, "not a signed JWT (compact JWS with JSON claims): " + e.getMessage()));
      return new Explanation("token: unreadable", checks);
    }
    String kid = jwt.getHeader().getKeyID();
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    String summary = "token (decoded, not trusted): kid=" + kid + " alg=" + alg + " iss=" + claims.getIssuer()
        + " aud=" + claims.getAudience() + " sub=" + claims.getSubject()
        + " iat=" + instant(claims.getIssueTime()) + " exp=" + instant(claims.getExpirationTime());

    if (!ACCEPTED.contains(alg)) {
      checks.add(new Check(Outcome.REJECT, "alg " + alg + " is not accepted (RS256 or ES256 only)"));
    }
    List<JWK> candidates = new ArrayList<>();
    if (kid == null) {
      checks.add(new Check(Outcome.OK, "no kid in the header: newer runtimes reject it, older ones try every key"));
      candidates.addAll(jwks.getKeys());
    } else {
      JWK key = jwks.getKeyByKeyId(kid);
      Optional<KeyStatus> status = keys.stream().filter(k -> kid.equals(k.getKid())).findFirst();
      if (key == null) {
        checks.add(new Check(Outcome.REJECT, unknownKid(kid, status, now)));
      } else {
        candidates.add(key);
        checks.add(new Check(Outcome.OK, "kid " + kid + " is in the live JWKS"));
        status.map(s -> s.getCreatedAt()).filter(s -> s != null).map(Instant::parse).ifPresent(published -> {
          Instant knownBy = published.plus(propagation).plus(cache);
          if (now.isBefore(knownBy)) {
            checks.add(new Check(Outcome.MAY_REJECT, "published too recently for caches: published "
                + Times.relative(published, now) + "; a verifier that filled its cache (" + Durations.format(cache)
                + ") before the key reached every pod may not know it until " + knownBy + " ("
                + Times.relative(knownBy, now) + ")"));
          } else {
            checks.add(new Check(Outcome.OK, "published " + Times.relative(published, now)
                + ": every verifier with a " + Durations.format(cache) + " cache has it"));
          }
        });
      }
    }
    if (!candidates.isEmpty()) {
      checks.add(signature(jwt, candidates));
    }
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      checks.add(new Check(Outcome.REJECT, "iss mismatch: the token says " + claims.getIssuer()
          + ", verifiers of this issuer expect " + issuer));
    } else {
      checks.add(new Check(Outcome.OK, "iss is " + issuer));
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      checks.add(new Check(Outcome.REJECT, "aud mismatch: the token says " + claims.getAudience()
          + ", verifiers expect " + audience));
    } else {
      checks.add(new Check(Outcome.OK, "aud contains " + audience));
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      checks.add(new Check(Outcome.REJECT, "no exp claim"));
    } else if (now.isAfter(exp.toInstant().plus(leeway))) {
      checks.add(new Check(Outcome.REJECT, "expired " + Times.relative(exp.toInstant(), now)
          + " (exp " + exp.toInstant() + ", leeway " + Durations.format(leeway) + ")"));
    } else {
      checks.add(new Check(Outcome.OK, "not expired: exp " + exp.toInstant() + " ("
          + Times.relative(exp.toInstant(), now) + ")"));
    }
    return new Explanation(summary, checks);
  }

  private static String unknownKid(String kid, Optional<KeyStatus> status, Instant now) {
    if (status.isPresent() && status.get().getRevokedAt() != null) {
      return "kid " + kid + " was revoked at " + status.get().getRevokedAt() + " ("
          + Times.relative(status.get().getRevokedAt(), now) + "): no verifier accepts its tokens after a refresh";
    }
    if (status.isPresent() && status.get().getRemoveAt() != null
        && !Instant.parse(status.get().getRemoveAt()).isAfter(now)) {
      return "kid " + kid + " was already removed from the JWKS at " + status.get().getRemoveAt()
          + " (its retention ended)";
    }
    return "unknown kid " + kid + ": not in the live JWKS nor in the issuer's status (another issuer's "
        + "key, or removed and pruned long ago)";
  }

  private static Check signature(SignedJWT jwt, List<JWK> candidates) {
    for (JWK key : candidates) {
      try {
        if (!(key instanceof AsymmetricJWK asymmetric)) {
          continue;
        }
        JWSVerifier verifier = new DefaultJWSVerifierFactory()
            .createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
        if (jwt.verify(verifier)) {
          return new Check(Outcome.OK, "signature verifies with " + key.getKeyID());
        }
      } catch (JOSEException | IllegalStateException e) {
        // the wrong kind of key for this alg: try the next, report below
      }
    }
    return new Check(Outcome.REJECT, "bad signature: it does not verify with "
        + (candidates.size() == 1 ? "the key " + candidates.get(0).getKeyID() : "any key in the JWKS"));
  }

  private static String instant(Date d) {
    return d == null ? "-" : d.toInstant().toString();
  }
}
