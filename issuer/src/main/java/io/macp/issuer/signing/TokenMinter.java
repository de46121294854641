package io.macp.issuer.signing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.jose.JOSEException;
import io.macp.issuer.IssuerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the contract's claim set and signs it with the key that signs now.
 *
 * <p>A key set may be swapped while a token is being signed. The token is only handed out if its
 * key is in the JWKS of the key set in force after signing; otherwise (the key was revoked in the
 * meantime) it is signed again with the new signer. A successor key set always still publishes
 * the previous signer, so in the normal case the first signature stands.
 */
public final class TokenMinter {
  private static final int MAX_ATTEMPTS = 3;

  private final CurrentKeySet keys;
  private final String issuer;
  private final String audience;
  private final Runnable afterSigning;

  public TokenMinter(CurrentKeySet keys, String issuer, String audience) {
    this(keys, issuer, audience, () -> {});
  }

  /** @param afterSigning runs between signing and the publication check (tests swap key sets) */
  TokenMinter(CurrentKeySet keys, String issuer, String audience, Runnable afterSigning) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.afterSigning = afterSigning;
  }

  /**
   * @param sender becomes {@code sub}
   * @param scopes copied verbatim into {@code macp_scopes}
   * @param ttlSeconds the asked TTL after the configured maximum; it is clamped further to the
   *     signer's {@code maxTokenTtl} from the key set, so {@code exp = iat + min(ttlSeconds, that)}
   *     (the answer's {@code expires_in_seconds} is {@code expiresAt - issuedAt})
   * @param now the instant that decides the signer and {@code iat}
   */
  public MintedToken mint(String sender, Map<String, Object> scopes, long ttlSeconds, Instant now)
      throws NoSigningKeyException {
    long iat = now.getEpochSecond();
    String jti = UUID.randomUUID().toString();
    KeyView view = keys.viewAt(now);
    for (int attempt = 1; ; attempt++) {
      PreparedSigner signer = view.signer();
      if (signer == null) {
        throw new NoSigningKeyException("no key may sign at " + now);
      }
      // The key set's maximum for this key wins over this pod's own: a pod still running the
      // previous template must not mint tokens longer than the key is kept for.
      long exp = iat + Math.min(ttlSeconds, signer.maxTokenTtlSeconds());
      byte[] payload = claims(sender, scopes, iat, exp, jti);
      String token;
      try {
        token = signer.sign(payload);
      } catch (JOSEException e) {
        throw new IllegalStateException("signing with key " + signer.kid() + " failed", e);
      }
      afterSigning.run();
      KeyView after = keys.viewAt(now);
      if (after == view || after.publishes(signer.kid())) {
        return new MintedToken(token, signer.kid(), jti, iat, exp);
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new IllegalStateException("the key set kept changing while signing");
      }
      view = after;
    }
  }

  private byte[] claims(
      String sender, Map<String, Object> scopes, long iat, long exp, String jti) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("iss", issuer);
      g.writeStringField("aud", audience);
      g.writeStringField("sub", sender);
      g.writeNumberField("iat", iat);
      g.writeNumberField("exp", exp);
      g.writeStringField("jti", jti);
      g.writeFieldName("macp_scopes");
      IssuerJson.MAPPER.writeValue(g, scopes);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
