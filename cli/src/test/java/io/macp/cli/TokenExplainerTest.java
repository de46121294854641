package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.macp.operator.model.v1alpha1.KeyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each reason a verifier rejects, decided from the JWKS, the key status and the clock alone. */
class TokenExplainerTest {
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  private static ECKey key(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
  }

  private static KeyStatus status(String kid, Instant published, Instant revoked, Instant removed) {
    KeyStatus s = new KeyStatus();
    s.setKid(kid);
    s.setCreatedAt(published.toString());
    s.setRevokedAt(revoked == null ? null : revoked.toString());
    s.setRemoveAt(removed == null ? null : removed.toString());
    return s;
  }

  private static String token(ECKey key, String iss, String aud, Instant exp) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer(iss).audience(aud).subject("agent://a")
            .issueTime(Date.from(exp.minusSeconds(300))).expirationTime(Date.from(exp)).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static TokenExplainer explainer(JWKSet jwks, List<KeyStatus> keys) {
    return new TokenExplainer(jwks, keys, "https://iss", "macp-runtime", Duration.ofMinutes(5),
        Duration.ofMinutes(2), Duration.ofSeconds(60));
  }

  @Test
  void acceptsAValidTokenOfAKeyEveryCacheKnows() throws Exception {
    ECKey k = key("k1");
    var e = explainer(new JWKSet(k.toPublicJWK()), List.of(status("k1", T0.minusSeconds(3600), null, null)))
        .explain(token(k, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0);
    assertThat(e.verdict()).isEqualTo(TokenExplainer.Outcome.OK);
  }

  @Test
  void aKeyPublishedWithinPropagationPlusCacheMayBeUnknownToAVerifier() throws Exception {
    ECKey k = key("k1");
    var e = explainer(new JWKSet(k.toPublicJWK()), List.of(status("k1", T0.minusSeconds(60), null, null)))
        .explain(token(k, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0);
    assertThat(e.verdict()).isEqualTo(TokenExplainer.Outcome.MAY_REJECT);
    assertThat(e.checks()).anyMatch(c -> c.text().contains("published too recently")
        && c.text().contains("2026-11-30T12:06:00Z"));
  }

  @Test
  void revokedRemovedAndUnknownKidsAreToldApart() throws Exception {
    ECKey revoked = key("gone-revoked");
    ECKey removed = key("gone-removed");
    ECKey stranger = key("stranger");
    TokenExplainer x = explainer(new JWKSet(List.of()), List.of(
        status("gone-revoked", T0.minusSeconds(7200), T0.minusSeconds(10), null),
        status("gone-removed", T0.minusSeconds(7200), null, T0.minusSeconds(5))));
    assertThat(x.explain(token(revoked, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0).checks())
        .anyMatch(c -> c.text().contains("was revoked at"));
    assertThat(x.explain(token(removed, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0).checks())
        .anyMatch(c -> c.text().contains("already removed from the JWKS"));
    assertThat(x.explain(token(stranger, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0).checks())
        .anyMatch(c -> c.text().startsWith("unknown kid stranger"));
  }

  @Test
  void issAudExpiryAndSignatureAreEachReported() throws Exception {
    ECKey k = key("k1");
    ECKey impostor = key("k1");
    TokenExplainer x = explainer(new JWKSet(k.toPublicJWK()), List.of(status("k1", T0.minusSeconds(3600), null, null)));
    var wrong = x.explain(token(k, "https://other", "someone", T0.minusSeconds(61)), T0);
    assertThat(wrong.verdict()).isEqualTo(TokenExplainer.Outcome.REJECT);
    assertThat(wrong.checks()).extracting(TokenExplainer.Check::text)
        .anyMatch(t -> t.startsWith("iss mismatch"))
        .anyMatch(t -> t.startsWith("aud mismatch"))
        .anyMatch(t -> t.startsWith("expired"));
    // within the 60 s leeway: still accepted
    assertThat(x.explain(token(k, "https://iss", "macp-runtime", T0.minusSeconds(59)), T0).verdict())
        .isEqualTo(TokenExplainer.Outcome.OK);
    assertThat(x.explain(token(impostor, "https://iss", "macp-runtime", T0.plusSeconds(60)), T0).checks())
        .anyMatch(c -> c.text().startsWith("bad signature"));
  }
}
