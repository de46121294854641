package io.macp.issuer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.macp.keyset.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The mint policy file (docs/security.md): who may mint which tokens. The operator renders it from
 * {@code spec.mint} into the ConfigMap {@code <name>-mint-policy} ({@link #toJson()}); the issuer
 * reads it from {@link IssuerMounts#MINT_POLICY_FILE} ({@link #parse(String)}). Both call {@link
 * #validate()}, so the operator refuses exactly the specs the issuer would refuse.
 *
 * <p>Reading is strict: unknown fields, duplicate keys, trailing content and values of the wrong
 * JSON type (a string for a boolean, a fraction for a whole number) are errors, so a typo cannot
 * silently drop a limit. Durations are Go durations ({@link Durations}). Relative paths are
 * relative to the policy file's directory (the issuer resolves them).
 *
 * @param authentication how callers authenticate (required)
 * @param sharedSecret with SharedSecret only: where the named tokens are mounted
 * @param serviceAccount with ServiceAccount only: how tokens are reviewed
 * @param clients the bindings; empty only with None
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"authentication", "sharedSecret", "serviceAccount", "clients"})
public record MintPolicyDocument(
    AuthenticationMode authentication,
    SharedSecret sharedSecret,
    ServiceAccount serviceAccount,
    List<Client> clients) {

  /** @param tokensDir the directory of named bearer tokens (a mounted Secret) */
  public record SharedSecret(String tokensDir) {}

  /**
   * TokenReview of projected ServiceAccount tokens. Unset fields take the defaults in {@link
   * MintPolicyRules}; {@code caFile: ""} means the JDK's trust store.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"apiServer", "tokenFile", "caFile", "audience", "cacheTtl", "negativeCacheTtl",
      "timeout", "maxConcurrentReviews"})
  public record ServiceAccount(
      String apiServer,
      String tokenFile,
      String caFile,
      String audience,
      String cacheTtl,
      String negativeCacheTtl,
      String timeout,
      Integer maxConcurrentReviews) {

    /** The API server's base URL, without a trailing slash. */
    public URI apiServerUri() {
      String api = apiServer == null ? MintPolicyRules.DEFAULT_API_SERVER : apiServer;
      try {
        return URI.create(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("serviceAccount.apiServer is not a URL");
      }
    }

    public String tokenFileOrDefault() {
      return tokenFile == null ? MintPolicyRules.DEFAULT_TOKEN_FILE : tokenFile;
    }

    /** The CA file; null for the JDK's trust store ({@code caFile: ""}). */
    public String caFileOrDefault() {
      String ca = caFile == null ? MintPolicyRules.DEFAULT_CA_FILE : caFile;
      return ca.isEmpty() ? null : ca;
    }

    public Duration cacheTtlOrDefault() {
      return duration("serviceAccount.", "cacheTtl", cacheTtl, MintPolicyRules.DEFAULT_CACHE_TTL);
    }

    public Duration negativeCacheTtlOrDefault() {
      return duration("serviceAccount.", "negativeCacheTtl", negativeCacheTtl,
          MintPolicyRules.DEFAULT_NEGATIVE_CACHE_TTL);
    }

    public Duration timeoutOrDefault() {
      return duration("serviceAccount.", "timeout", timeout, MintPolicyRules.DEFAULT_REVIEW_TIMEOUT);
    }

    public int maxConcurrentReviewsOrDefault() {
      return maxConcurrentReviews == null
          ? MintPolicyRules.DEFAULT_MAX_CONCURRENT_REVIEWS : maxConcurrentReviews;
    }

    void validate() {
      if (audience == null || audience.isBlank()) {
        throw new IllegalArgumentException("serviceAccount.audience is required");
      }
      MintPolicyRules.checkTokenReview(apiServerUri(), audience, cacheTtlOrDefault(),
          negativeCacheTtlOrDefault(), timeoutOrDefault(), maxConcurrentReviewsOrDefault());
    }
  }

  /**
   * What one caller identity may mint. Exactly one of {@code serviceAccount} ({@code
   * namespace/name}), {@code sharedSecret} (a token's name) and {@code anonymous: true}.
   *
   * @param senders exact sender names or globs ({@link MintPolicyRules#checkSenderPattern})
   * @param maxTtl TTL ceiling (Go duration, at least 1s), or null for the issuer's maximum
   * @param scopes scope ceiling, or null for none
   * @param rateLimit per-caller token bucket, or null for none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"serviceAccount", "sharedSecret", "anonymous", "senders", "maxTtl", "scopes",
      "rateLimit"})
  public record Client(
      String serviceAccount,
      String sharedSecret,
      Boolean anonymous,
      List<String> senders,
      String maxTtl,
      Scopes scopes,
      RateLimit rateLimit) {

    /** The TTL ceiling, or null. */
    public Duration maxTtlValue() {
      return duration("", "maxTtl", maxTtl, null);
    }

    /** {@code sa:<namespace>/<name>}, {@code secret:<name>} or {@code anonymous}. */
    String callerKey() {
      return serviceAccount != null ? "sa:" + serviceAccount
          : sharedSecret != null ? "secret:" + sharedSecret : "anonymous";
    }

    void validate(AuthenticationMode mode, String where) {
      int identities = (serviceAccount != null ? 1 : 0) + (sharedSecret != null ? 1 : 0)
          + (anonymous != null ? 1 : 0);
      if (identities != 1) {
        throw new IllegalArgumentException(
            where + " needs exactly one of serviceAccount, sharedSecret, anonymous");
      }
      try {
        if (serviceAccount != null) {
          requireMode(mode, AuthenticationMode.SERVICE_ACCOUNT, "serviceAccount");
          MintPolicyRules.serviceAccount(serviceAccount);
        } else if (sharedSecret != null) {
          requireMode(mode, AuthenticationMode.SHARED_SECRET, "sharedSecret");
          MintPolicyRules.checkSharedSecretClient(sharedSecret);
        } else {
          requireMode(mode, AuthenticationMode.NONE, "anonymous");
          if (!anonymous) {
            throw new IllegalArgumentException("anonymous must be true");
          }
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + e.getMessage());
      }
      if (senders == null || senders.isEmpty()) {
        throw new IllegalArgumentException(where + ".senders must be a non-empty list");
      }
      for (String s : senders) {
        if (s == null) {
          throw new IllegalArgumentException(where + ".senders must hold strings");
        }
        try {
          MintPolicyRules.checkSenderPattern(s);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ".senders: " + e.getMessage());
        }
      }
      Duration ttl;
      try {
        ttl = maxTtlValue();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + e.getMessage());
      }
      if (ttl != null && ttl.toSeconds() < 1) {
        throw new IllegalArgumentException(where + ".maxTtl must be at least 1s");
      }
      try {
        if (scopes != null) {
          MintPolicyRules.checkScopes(scopes.maxOpenSessions(), scopes.allowedModes());
          if (scopes.allowedModes() != null
              && scopes.allowedModes().stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new IllegalArgumentException("scopes.allowed_modes must hold mode names");
          }
        }
        if (rateLimit != null) {
          if (rateLimit.requestsPerSecond() == null || rateLimit.burst() == null) {
            throw new IllegalArgumentException(
                "rateLimit needs a number requestsPerSecond and a whole number burst");
          }
          MintPolicyRules.checkRateLimit(rateLimit.requestsPerSecond(), rateLimit.burst());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + e.getMessage());
      }
    }

    private static void requireMode(AuthenticationMode mode, AuthenticationMode needed, String what) {
      if (mode != needed) {
        throw new IllegalArgumentException(
            what + " cannot be used with authentication " + mode.policyName());
      }
    }
  }

  /**
   * The most a client may put in {@code macp_scopes}; a null field puts no limit on that scope.
   * The names are the contract's scope names.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({CAN_START_SESSIONS, IS_OBSERVER, CAN_MANAGE_MODE_REGISTRY, MAX_OPEN_SESSIONS,
      ALLOWED_MODES})
  public record Scopes(
      @JsonProperty(CAN_START_SESSIONS) Boolean canStartSessions,
      @JsonProperty(IS_OBSERVER) Boolean isObserver,
      @JsonProperty(CAN_MANAGE_MODE_REGISTRY) Boolean canManageModeRegistry,
      @JsonProperty(MAX_OPEN_SESSIONS) Integer maxOpenSessions,
      @JsonProperty(ALLOWED_MODES) List<String> allowedModes) {}

  /** A token bucket: refills {@code requestsPerSecond}, holds at most {@code burst} requests. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"requestsPerSecond", "burst"})
  public record RateLimit(Double requestsPerSecond, Integer burst) {}

  /** The {@code macp_scopes} names a policy can limit (MACP auth contract). */
  public static final String CAN_START_SESSIONS = "can_start_sessions";
  public static final String IS_OBSERVER = "is_observer";
  public static final String CAN_MANAGE_MODE_REGISTRY = "can_manage_mode_registry";
  public static final String MAX_OPEN_SESSIONS = "max_open_sessions";
  public static final String ALLOWED_MODES = "allowed_modes";

  private static final ObjectMapper MAPPER = strictMapper();

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        // duplicate keys are errors: "last one wins" could hide a limit from a reviewer
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();
    // no "true" for true, no 1 for "1": a value of the wrong JSON type is an error
    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean,
        LogicalType.Integer, LogicalType.Float}) {
      for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
          CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
          CoercionInputShape.EmptyString}) {
        mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
      }
    }
    // a whole number is a number
    mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer,
        CoercionAction.TryConvert);
    return mapper;
  }

  public MintPolicyDocument {
    clients = clients == null ? List.of() : List.copyOf(clients);
  }

  /**
   * Reads a policy file's text; checks only its shape, {@link #validate()} checks its values.
   *
   * @throws IllegalArgumentException naming the line and column, or the field, that is wrong
   */
  public static MintPolicyDocument parse(String json) {
    MintPolicyDocument doc;
    try {
      doc = MAPPER.readValue(json, MintPolicyDocument.class);
    } catch (UnrecognizedPropertyException e) {
      String allowed = e.getKnownPropertyIds() == null ? ""
          : " (allowed: " + e.getKnownPropertyIds().stream().map(String::valueOf)
              .collect(Collectors.joining(", ")) + ")";
      throw new IllegalArgumentException("mint policy: unknown field "
          + prefix(e.getPath().subList(0, e.getPath().size() - 1)) + e.getPropertyName() + allowed);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamReadException syntax) {
        // a syntax error (a duplicate key) met while binding: still "not valid JSON"
        throw notJson(syntax);
      }
      if (e.getPath().isEmpty()) {
        throw new IllegalArgumentException("mint policy must be a JSON object");
      }
      throw new IllegalArgumentException("mint policy: " + field(e.getPath()) + " " + reason(e));
    } catch (JsonProcessingException e) {
      throw notJson(e);
    }
    if (doc == null) {
      throw new IllegalArgumentException("mint policy must be a JSON object");
    }
    return doc;
  }

  /**
   * Checks every value rule (docs/security.md, {@link MintPolicyRules}): the sections match the
   * authentication mode, each client has one identity of that mode, valid sender patterns,
   * durations and limits, no identity bound twice, and at least one client unless None.
   *
   * @throws IllegalArgumentException naming the first field that is wrong
   */
  public void validate() {
    if (authentication == null) {
      throw new IllegalArgumentException("authentication is required");
    }
    if (authentication == AuthenticationMode.SHARED_SECRET) {
      if (sharedSecret == null) {
        throw new IllegalArgumentException("sharedSecret is required");
      }
      if (sharedSecret.tokensDir() == null || sharedSecret.tokensDir().isBlank()) {
        throw new IllegalArgumentException("sharedSecret.tokensDir is required");
      }
    } else if (sharedSecret != null) {
      throw new IllegalArgumentException("sharedSecret is only used with authentication SharedSecret");
    }
    if (authentication == AuthenticationMode.SERVICE_ACCOUNT) {
      if (serviceAccount == null) {
        throw new IllegalArgumentException("serviceAccount is required");
      }
      serviceAccount.validate();
    } else if (serviceAccount != null) {
      throw new IllegalArgumentException(
          "serviceAccount is only used with authentication ServiceAccount");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < clients.size(); i++) {
      String where = "clients[" + i + "]";
      Client c = clients.get(i);
      if (c == null) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      c.validate(authentication, where);
      if (!seen.add(c.callerKey())) {
        throw new IllegalArgumentException(where + ": " + c.callerKey()
            + " is bound twice; merge the two entries");
      }
    }
    if (clients.isEmpty() && authentication != AuthenticationMode.NONE) {
      throw new IllegalArgumentException("clients is empty: every " + authentication.policyName()
          + " caller would be forbidden");
    }
  }

  /** The file's text: indented, fields in a fixed order, a final newline; same document, same bytes. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the mint policy", e);
    }
  }

  private static IllegalArgumentException notJson(JsonProcessingException e) {
    return new IllegalArgumentException("mint policy is not valid JSON: " + e.getOriginalMessage()
        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
            + e.getLocation().getColumnNr() + ")"));
  }

  private static Duration duration(String where, String name, String text, Duration dflt) {
    if (text == null) {
      return dflt;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + name + ": " + e.getMessage());
    }
  }

  /** "clients[0].scopes." for the path of a field's parent. */
  private static String prefix(List<JsonMappingException.Reference> path) {
    String f = field(path);
    return f.isEmpty() ? "" : f + ".";
  }

  private static String field(List<JsonMappingException.Reference> path) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        s.append(s.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        s.append('[').append(r.getIndex()).append(']');
      }
    }
    return s.toString();
  }

  private static String reason(JsonMappingException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return "invalid: " + t.getMessage();
      }
    }
    Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
        ? m.getTargetType() : null;
    if (target == Boolean.class || target == boolean.class) {
      return "must be true or false";
    }
    if (target == Integer.class || target == int.class) {
      return "must be a whole number";
    }
    if (target == Double.class || target == double.class) {
      return "must be a number";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (target != null && List.class.isAssignableFrom(target)) {
      return "must be a list";
    }
    if (target != null && target.isRecord()) {
      return "must be an object";
    }
    return "is invalid: " + e.getOriginalMessage();
  }
}
