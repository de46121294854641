package io.macp.issuer.signing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.macp.issuer.IssuerJson;
import io.macp.keyset.ManagedKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One key made ready to sign: the nimbus signer (private key already converted) and the encoded
 * JWS header, built once per key instead of once per token. Thread-safe.
 */
public final class PreparedSigner {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final ManagedKey key;
  private final JWSSigner signer;
  private final JWSHeader header;
  private final byte[] encodedHeader;

  private PreparedSigner(ManagedKey key, JWSSigner signer, JWSHeader header, byte[] encodedHeader) {
    this.key = key;
    this.signer = signer;
    this.header = header;
    this.encodedHeader = encodedHeader;
  }

  /** Converts the key once; fails for a key that can't sign (public only, weak or unsupported). */
  public static PreparedSigner of(ManagedKey key) throws JOSEException {
    if (!key.hasPrivateKey() || key.isRevoked()) {
      throw new JOSEException("key " + key.kid() + " has no private part");
    }
    JWSSigner signer;
    if (key.jwk() instanceof RSAKey rsa) {
      signer = new RSASSASigner(rsa);
    } else if (key.jwk() instanceof ECKey ec) {
      signer = new ECDSASigner(ec);
    } else {
      throw new JOSEException("key " + key.kid() + " is neither RSA nor EC");
    }
    JWSHeader header = new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid()).build();
    return new PreparedSigner(key, signer, header, encodeHeader(key));
  }

  public ManagedKey key() {
    return key;
  }

  /** The converted private key (tests check it is converted once). */
  JWSSigner jwsSigner() {
    return signer;
  }

  /**
   * The same prepared key material under a newer record of the same key (its timestamps or
   * {@code maxTokenTtl} changed), so a reload never re-converts a private key.
   *
   * @throws IllegalArgumentException if {@code newer} holds other key material
   */
  PreparedSigner withRecord(ManagedKey newer) {
    if (!newer.jwk().equals(key.jwk())) {
      throw new IllegalArgumentException("key " + newer.kid() + " holds other key material");
    }
    return newer.equals(key) ? this : new PreparedSigner(newer, signer, header, encodedHeader);
  }

  public String kid() {
    return key.kid();
  }

  /**
   * The longest TTL this key may sign, in whole seconds, from the key set ({@code maxTokenTtl},
   * docs/rotation.md "Spec changes"), or {@code Long.MAX_VALUE} for a key set without it.
   */
  public long maxTokenTtlSeconds() {
    return key.maxTokenTtl() == null ? Long.MAX_VALUE : Math.max(1, key.maxTokenTtl().toSeconds());
  }

  /** Signs a JSON claims payload into a compact JWS: header.payload.signature. */
  public String sign(byte[] payloadJson) throws JOSEException {
    byte[] payload = B64URL.encode(payloadJson);
    byte[] signingInput = new byte[encodedHeader.length + 1 + payload.length];
    System.arraycopy(encodedHeader, 0, signingInput, 0, encodedHeader.length);
    signingInput[encodedHeader.length] = '.';
    System.arraycopy(payload, 0, signingInput, encodedHeader.length + 1, payload.length);
    String signature = signer.sign(header, signingInput).toString();
    return new StringBuilder(signingInput.length + 1 + signature.length())
        .append(new String(signingInput, StandardCharsets.US_ASCII))
        .append('.')
        .append(signature)
        .toString();
  }

  /** {"alg":..,"kid":..,"typ":"JWT"} in base64url; the kid is escaped by Jackson, not by hand. */
  private static byte[] encodeHeader(ManagedKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("alg", key.algorithm().name());
      g.writeStringField("kid", key.kid());
      g.writeStringField("typ", "JWT");
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return B64URL.encode(out.toByteArray());
  }
}
