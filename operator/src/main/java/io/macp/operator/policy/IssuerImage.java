package io.macp.operator.policy;

import java.util.Map;

/**
 * Which image the issuer pods run: {@code spec.image}, else the operator's configured default
 * (environment variable {@value #ENV}, set by deploy/operator.yaml so the operator and the issuer
 * it runs are released together), else {@value #BUILT_IN}.
 */
public final class IssuerImage {
  /** The operator's default issuer image. */
  public static final String ENV = "MACP_ISSUER_IMAGE";
  /** Used only when neither the spec nor the operator's environment names an image. */
  public static final String BUILT_IN = "ghcr.io/macp/macp-issuer:0.1.0";

  private static final String OPERATOR_DEFAULT = fromEnv(System.getenv());

  private IssuerImage() {}

  /** The default an operator with this environment uses. */
  public static String fromEnv(Map<String, String> env) {
    String image = env.get(ENV);
    return image == null || image.isBlank() ? BUILT_IN : image.trim();
  }

  /** The operator's default issuer image (read once, at start). */
  public static String operatorDefault() {
    return OPERATOR_DEFAULT;
  }

  /**
   * @param specImage spec.image, or null
   * @param operatorDefault the operator's default ({@link #operatorDefault()})
   */
  public static String of(String specImage, String operatorDefault) {
    return specImage == null || specImage.isBlank() ? operatorDefault : specImage;
  }
}
