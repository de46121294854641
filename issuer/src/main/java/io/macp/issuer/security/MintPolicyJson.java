package io.macp.issuer.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macp.keyset.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the mint policy file (JSON). Unknown fields are errors, so a typo cannot silently drop a
 * limit. Relative paths are resolved against the policy file's directory.
 */
public final class MintPolicyJson {
  // Duplicate keys are errors: "last one wins" could hide a limit from a reviewer.
  // A policy is a few levels deep; deeper nesting is refused early with a clear message.
  static final int MAX_NESTING = 16;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private MintPolicyJson() {}

  public static MintPolicy parse(String json, Path baseDir) throws InvalidPolicyException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      if (e instanceof StreamConstraintsException
          || e.getCause() instanceof StreamConstraintsException) {
        // Carries no location; its own message names Jackson's setting, not ours.
        throw new InvalidPolicyException("mint policy nests deeper than " + MAX_NESTING
            + " levels of objects and arrays");
      }
      JsonLocation at = e.getLocation();
      throw new InvalidPolicyException("mint policy is not valid JSON: " + e.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPolicyException("mint policy must be a JSON object");
    }
    try {
      return read(root, baseDir);
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException("mint policy: " + e.getMessage());
    }
  }

  private static MintPolicy read(JsonNode root, Path baseDir) {
    onlyFields(root, "", "authentication", "sharedSecret", "serviceAccount", "clients");
    AuthenticationMode mode = AuthenticationMode.fromPolicyName(text(root, "authentication", true));

    Path secretDir = null;
    if (mode == AuthenticationMode.SHARED_SECRET) {
      JsonNode s = object(root, "sharedSecret", true);
      onlyFields(s, "sharedSecret.", "tokensDir");
      secretDir = baseDir.resolve(text(s, "tokensDir", true));
    } else if (root.has("sharedSecret")) {
      throw new IllegalArgumentException("sharedSecret is only used with authentication SharedSecret");
    }

    TokenReviewSettings review = null;
    if (mode == AuthenticationMode.SERVICE_ACCOUNT) {
      review = tokenReview(object(root, "serviceAccount", true), baseDir);
    } else if (root.has("serviceAccount")) {
      throw new IllegalArgumentException(
          "serviceAccount is only used with authentication ServiceAccount");
    }

    List<ClientBinding> clients = new ArrayList<>();
    JsonNode list = root.get("clients");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException("clients must be a list");
      }
      Set<CallerId> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        ClientBinding b = client(list.get(i), "clients[" + i + "].", mode);
        if (!seen.add(b.caller())) {
          throw new IllegalArgumentException("clients[" + i + "]: " + b.caller()
              + " is bound twice; merge the two entries");
        }
        clients.add(b);
      }
    }
    if (clients.isEmpty() && mode != AuthenticationMode.NONE) {
      throw new IllegalArgumentException("clients is empty: every " + mode.policyName()
          + " caller would be forbidden");
    }
    return new MintPolicy(mode, secretDir, review, clients);
  }

  private static TokenReviewSettings tokenReview(JsonNode s, Path baseDir) {
    onlyFields(s, "serviceAccount.", "apiServer", "tokenFile", "caFile", "audience", "cacheTtl",
        "negativeCacheTtl", "timeout", "maxConcurrentReviews");
    String api = orDefault(text(s, "apiServer", false), TokenReviewSettings.DEFAULT_API_SERVER);
    URI apiServer;
    try {
      apiServer = URI.create(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("serviceAccount.apiServer is not a URL");
    }
    String ca = s.has("caFile") ? text(s, "caFile", false)
        : TokenReviewSettings.DEFAULT_CA_FILE;
    return new TokenReviewSettings(
        apiServer,
        baseDir.resolve(orDefault(text(s, "tokenFile", false),
            TokenReviewSettings.DEFAULT_TOKEN_FILE)),
        ca == null || ca.isEmpty() ? null : baseDir.resolve(ca),
        text(s, "audience", true),
        duration(s, "serviceAccount.", "cacheTtl", Duration.ofSeconds(30)),
        duration(s, "serviceAccount.", "negativeCacheTtl", Duration.ZERO),
        duration(s, "serviceAccount.", "timeout", Duration.ofSeconds(5)),
        maxConcurrentReviews(s.get("maxConcurrentReviews")));
  }

  private static int maxConcurrentReviews(JsonNode n) {
    if (n == null || n.isNull()) {
      return TokenReviewSettings.DEFAULT_MAX_CONCURRENT_REVIEWS;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new IllegalArgumentException(
          "serviceAccount.maxConcurrentReviews must be a whole number");
    }
    return n.intValue();
  }

  private static ClientBinding client(JsonNode c, String where, AuthenticationMode mode) {
    if (c == null || !c.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    onlyFields(c, where, "serviceAccount", "sharedSecret", "anonymous", "senders", "maxTtl",
        "scopes", "rateLimit");
    int identities = (c.has("serviceAccount") ? 1 : 0) + (c.has("sharedSecret") ? 1 : 0)
        + (c.has("anonymous") ? 1 : 0);
    if (identities != 1) {
      throw new IllegalArgumentException(
          where + " needs exactly one of serviceAccount, sharedSecret, anonymous");
    }
    CallerId caller;
    try {
      if (c.has("serviceAccount")) {
        requireMode(mode, AuthenticationMode.SERVICE_ACCOUNT, where + "serviceAccount");
        caller = CallerId.serviceAccount(text(c, "serviceAccount", true));
      } else if (c.has("sharedSecret")) {
        requireMode(mode, AuthenticationMode.SHARED_SECRET, where + "sharedSecret");
        caller = CallerId.sharedSecret(text(c, "sharedSecret", true));
      } else {
        requireMode(mode, AuthenticationMode.NONE, where + "anonymous");
        if (!c.get("anonymous").isBoolean() || !c.get("anonymous").booleanValue()) {
          throw new IllegalArgumentException("anonymous must be true");
        }
        caller = CallerId.anonymous();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " " + e.getMessage());
    }

    JsonNode senderList = c.get("senders");
    if (senderList == null || !senderList.isArray() || senderList.isEmpty()) {
      throw new IllegalArgumentException(where + "senders must be a non-empty list");
    }
    List<SenderPattern> senders = new ArrayList<>();
    for (JsonNode s : senderList) {
      if (!s.isTextual()) {
        throw new IllegalArgumentException(where + "senders must hold strings");
      }
      try {
        senders.add(SenderPattern.compile(s.textValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "senders: " + e.getMessage());
      }
    }

    Duration maxTtl = duration(c, where, "maxTtl", null);
    if (maxTtl != null && maxTtl.toSeconds() < 1) {
      throw new IllegalArgumentException(where + "maxTtl must be at least 1s");
    }
    ScopeCeiling scopes = c.has("scopes") ? scopes(object(c, "scopes", true), where + "scopes.")
        : ScopeCeiling.unlimited();
    RateLimit rate = null;
    if (c.has("rateLimit")) {
      JsonNode r = object(c, "rateLimit", true);
      onlyFields(r, where + "rateLimit.", "requestsPerSecond", "burst");
      JsonNode rps = r.get("requestsPerSecond");
      JsonNode burst = r.get("burst");
      if (rps == null || !rps.isNumber() || burst == null || !burst.canConvertToInt()
          || !burst.isIntegralNumber()) {
        throw new IllegalArgumentException(
            where + "rateLimit needs a number requestsPerSecond and a whole number burst");
      }
      try {
        rate = new RateLimit(rps.doubleValue(), burst.intValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
    }
    return new ClientBinding(caller, senders, maxTtl, scopes, rate);
  }

  private static ScopeCeiling scopes(JsonNode s, String where) {
    onlyFields(s, where, ScopeCheck.CAN_START_SESSIONS, ScopeCheck.IS_OBSERVER,
        ScopeCheck.CAN_MANAGE_MODE_REGISTRY, ScopeCheck.MAX_OPEN_SESSIONS, ScopeCheck.ALLOWED_MODES);
    Integer max = null;
    JsonNode m = s.get(ScopeCheck.MAX_OPEN_SESSIONS);
    if (m != null) {
      if (!m.isIntegralNumber() || !m.canConvertToInt()) {
        throw new IllegalArgumentException(where + "max_open_sessions must be a whole number");
      }
      max = m.intValue();
    }
    List<String> modes = null;
    JsonNode a = s.get(ScopeCheck.ALLOWED_MODES);
    if (a != null) {
      if (!a.isArray()) {
        throw new IllegalArgumentException(where + "allowed_modes must be a list of mode names");
      }
      modes = new ArrayList<>();
      for (JsonNode mode : a) {
        if (!mode.isTextual() || mode.textValue().isBlank()) {
          throw new IllegalArgumentException(where + "allowed_modes must hold mode names");
        }
        modes.add(mode.textValue());
      }
    }
    try {
      return new ScopeCeiling(flag(s, where, ScopeCheck.CAN_START_SESSIONS),
          flag(s, where, ScopeCheck.IS_OBSERVER), flag(s, where, ScopeCheck.CAN_MANAGE_MODE_REGISTRY),
          max, modes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }

  private static Boolean flag(JsonNode s, String where, String name) {
    JsonNode v = s.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(where + name + " must be true or false");
    }
    return v.booleanValue();
  }

  private static void requireMode(AuthenticationMode mode, AuthenticationMode needed, String what) {
    if (mode != needed) {
      throw new IllegalArgumentException(
          what + " cannot be used with authentication " + mode.policyName());
    }
  }

  private static void onlyFields(JsonNode node, String where, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!ok.contains(name)) {
        throw new IllegalArgumentException("unknown field " + where + name
            + " (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  private static JsonNode object(JsonNode parent, String name, boolean required) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        throw new IllegalArgumentException(name + " is required");
      }
      return null;
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(name + " must be an object");
    }
    return n;
  }

  private static String text(JsonNode parent, String name, boolean required) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        throw new IllegalArgumentException(name + " is required");
      }
      return null;
    }
    if (!n.isTextual() || (required && n.textValue().isBlank())) {
      throw new IllegalArgumentException(name + " must be a non-empty string");
    }
    return n.textValue();
  }

  private static Duration duration(JsonNode parent, String where, String name, Duration dflt) {
    String t = text(parent, name, false);
    if (t == null) {
      return dflt;
    }
    try {
      return Durations.parse(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + name + ": " + e.getMessage());
    }
  }

  private static String orDefault(String value, String dflt) {
    return value == null ? dflt : value;
  }
}
