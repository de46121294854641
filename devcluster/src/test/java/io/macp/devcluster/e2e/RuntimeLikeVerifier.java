package io.macp.devcluster.e2e;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/**
 * Verifies tokens the way the MACP runtime does: a JWKS cached for exactly the cache TTL, no
 * refetch on an unknown kid, the key picked by kid or else every key tried, iss/aud checked and
 * 60 s of exp leeway. Its cache can be started at a chosen age so verifiers refresh out of step.
 */
final class RuntimeLikeVerifier {
  static final Duration EXP_LEEWAY = Duration.ofSeconds(60);

  private final String name;
  private final Supplier<URI> jwksSource;
  private final Duration cacheTtl;
  private final String issuer;
  private final String audience;
  private final Clock clock;
  private final HttpClient http;

  private JWKSet cached;
  private Instant fetchedAt;
  private int fetches;

  RuntimeLikeVerifier(
      String name, Supplier<URI> jwksSource, Duration cacheTtl, String issuer, String audience,
      Clock clock, HttpClient http) {
    this.name = name;
    this.jwksSource = jwksSource;
    this.cacheTtl = cacheTtl;
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
    this.http = http;
  }

  String name() {
    return name;
  }

  int fetches() {
    return fetches;
  }

  /** Fetches now, so that this verifier's cache ages are out of step with the others. */
  synchronized void prime() throws Exception {
    refresh(clock.instant());
  }

  /** @return null when the token verifies, else why not */
  synchronized String verify(String token) throws Exception {
    Instant now = clock.instant();
    if (cached == null || !now.isBefore(fetchedAt.plus(cacheTtl))) {
      refresh(now);
    }
    SignedJWT jwt = SignedJWT.parse(token);
    String kid = jwt.getHeader().getKeyID();
    List<JWK> candidates = new ArrayList<>();
    JWK byKid = kid == null ? null : cached.getKeyByKeyId(kid);
    if (byKid != null) {
      candidates.add(byKid);
    } else {
      candidates.addAll(cached.getKeys());
    }
    boolean signatureOk = false;
    for (JWK k : candidates) {
      if (jwt.verify(verifierFor(k))) {
        signatureOk = true;
        break;
      }
    }
    if (!signatureOk) {
      return "no key in the cached JWKS verifies kid " + kid;
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    if (!issuer.equals(claims.getIssuer())) {
      return "iss " + claims.getIssuer();
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      return "aud " + claims.getAudience();
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || now.isAfter(exp.toInstant().plus(EXP_LEEWAY))) {
      return "expired";
    }
    return null;
  }

  private void refresh(Instant now) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(jwksSource.get().resolve("/.well-known/jwks.json"))
                .timeout(Duration.ofSeconds(5))
                // one client each for the issuer's observation (they share 127.0.0.1)
                .header("User-Agent", "macp-runtime-like/" + name)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      // The runtime keeps its stale copy when a refresh fails.
      if (cached == null) {
        throw new IllegalStateException(name + ": JWKS fetch failed with " + r.statusCode());
      }
      return;
    }
    cached = JWKSet.parse(r.body());
    fetchedAt = now;
    fetches++;
  }

  private static JWSVerifier verifierFor(JWK k) throws Exception {
    if (k instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    return new ECDSAVerifier((ECKey) k);
  }
}
