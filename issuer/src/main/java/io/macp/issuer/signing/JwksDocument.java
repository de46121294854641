package io.macp.issuer.signing;

import io.macp.issuer.files.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A JWKS serialized once, with a strong ETag derived from its bytes (so every replica serving the
 * same key set answers the same ETag). The bytes are shared: never modify {@link #bytes()}.
 */
public final class JwksDocument {
  private final String json;
  private final byte[] bytes;
  private final String etag;

  private JwksDocument(String json) {
    this.json = json;
    this.bytes = json.getBytes(StandardCharsets.UTF_8);
    this.etag = "\"" + digest(bytes) + "\"";
  }

  public static JwksDocument of(String json) {
    return new JwksDocument(json);
  }

  public String json() {
    return json;
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The quoted strong ETag, e.g. {@code "k3Jd…"}. */
  public String etag() {
    return etag;
  }

  private static String digest(byte[] bytes) {
    byte[] sha = Sha256.of(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha, 18));
  }
}
