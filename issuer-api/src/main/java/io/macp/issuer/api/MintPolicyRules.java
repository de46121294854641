package io.macp.issuer.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value rules of the mint policy (docs/security.md), in one place: {@link
 * MintPolicyDocument#validate()} applies them to a whole document, and the issuer's policy types
 * apply the same ones when they are built. Each check throws {@link IllegalArgumentException} with
 * a message that names the field and never quotes a secret.
 */
public final class MintPolicyRules {
  private MintPolicyRules() {}

  /** The longest sender name any pattern can match. */
  public static final int MAX_SENDER_LENGTH = 1024;
  public static final int MAX_PATTERN_LENGTH = 256;
  public static final String DEFAULT_API_SERVER = "https://kubernetes.default.svc";
  public static final String DEFAULT_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  public static final String DEFAULT_CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_NEGATIVE_CACHE_TTL = Duration.ZERO;
  public static final Duration DEFAULT_REVIEW_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration MAX_NEGATIVE_CACHE_TTL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONCURRENT_REVIEWS = 8;
  public static final int MAX_CONCURRENT_REVIEWS = 256;

  // DNS-1123 subdomain (namespaces and ServiceAccount names are at least that strict).
  private static final Pattern K8S_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  // A shared-secret client: a Secret data key without '.', which starts a rotation suffix.
  private static final Pattern SECRET_CLIENT = Pattern.compile("^[-_a-zA-Z0-9]{1,253}$");

  /**
   * A sender pattern: 1 to {@value #MAX_PATTERN_LENGTH} characters, {@code *} and {@code **}
   * wildcards only, otherwise a canonical sender name ({@link #isCanonicalSender}).
   */
  public static void checkSenderPattern(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_PATTERN_LENGTH) {
      throw new IllegalArgumentException(
          "a sender pattern must have 1 to " + MAX_PATTERN_LENGTH + " characters");
    }
    if (text.contains("***")) {
      throw new IllegalArgumentException("sender pattern '" + text + "': use * or **, not ***");
    }
    if (!isCanonicalSender(text.replace("*", "x"))) {
      throw new IllegalArgumentException("sender pattern '" + text + "' may only use letters,"
          + " digits, - . _ ~ : / @ + and *, and no empty, '.' or '..' path segment");
    }
  }

  /**
   * True for sender names a pattern can ever match: at most {@value #MAX_SENDER_LENGTH}
   * characters from {@code A-Z a-z 0-9 - . _ ~ : / @ + *}, and after {@code scheme://} no empty,
   * {@code .} or {@code ..} path segment.
   */
  public static boolean isCanonicalSender(String name) {
    if (name.isEmpty() || name.length() > MAX_SENDER_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~:/@+".indexOf(c) >= 0 || c == '*';
      if (!ok) {
        return false;
      }
    }
    int schemeEnd = name.indexOf("://");
    String path = schemeEnd >= 0 ? name.substring(schemeEnd + 3) : name;
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** A shared-secret client name: a Secret data key of letters, digits, '-' and '_'. */
  public static void checkSharedSecretClient(String name) {
    if (name == null || !SECRET_CLIENT.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a shared-secret client name may only use letters, digits, '-' and '_'");
    }
  }

  /** A ServiceAccount as namespace and name, both lower-case DNS names. */
  public static void checkServiceAccount(String namespace, String name) {
    if (namespace == null || name == null || !K8S_NAME.matcher(namespace).matches()
        || !K8S_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a ServiceAccount is written namespace/name with lower-case DNS names");
    }
  }

  /**
   * The policy spelling {@code namespace/name}, checked.
   *
   * @return namespace and name
   */
  public static String[] serviceAccount(String namespaceSlashName) {
    String[] parts = namespaceSlashName == null ? new String[0] : namespaceSlashName.split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "a ServiceAccount is written namespace/name, not '" + namespaceSlashName + "'");
    }
    checkServiceAccount(parts[0], parts[1]);
    return parts;
  }

  /** A client's scope ceiling ({@code scopes.*}). */
  public static void checkScopes(Integer maxOpenSessions, List<String> allowedModes) {
    if (maxOpenSessions != null && maxOpenSessions < 0) {
      throw new IllegalArgumentException("scopes.max_open_sessions must not be negative");
    }
    if (allowedModes != null && allowedModes.isEmpty()) {
      throw new IllegalArgumentException(
          "scopes.allowed_modes must not be empty (leave it out to allow every mode)");
    }
  }

  /** A client's token bucket ({@code rateLimit.*}). */
  public static void checkRateLimit(double requestsPerSecond, int burst) {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("rateLimit.requestsPerSecond must be a positive number");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rateLimit.burst must be at least 1");
    }
  }

  /** The TokenReview settings ({@code serviceAccount.*}) after defaults. */
  public static void checkTokenReview(URI apiServer, String audience, Duration cacheTtl,
      Duration negativeCacheTtl, Duration timeout, int maxConcurrentReviews) {
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("serviceAccount.audience (the issuer URL) is required");
    }
    String scheme = apiServer.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException("serviceAccount.apiServer must be an http(s) URL");
    }
    if (cacheTtl.isNegative() || cacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
      throw new IllegalArgumentException("serviceAccount.cacheTtl must be between 0s and 5m");
    }
    if (negativeCacheTtl.isNegative() || negativeCacheTtl.compareTo(MAX_NEGATIVE_CACHE_TTL) > 0) {
      throw new IllegalArgumentException(
          "serviceAccount.negativeCacheTtl must be between 0s and 10s");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("serviceAccount.timeout must be positive");
    }
    if (maxConcurrentReviews < 1 || maxConcurrentReviews > MAX_CONCURRENT_REVIEWS) {
      throw new IllegalArgumentException("serviceAccount.maxConcurrentReviews must be between 1"
          + " and " + MAX_CONCURRENT_REVIEWS);
    }
  }
}
