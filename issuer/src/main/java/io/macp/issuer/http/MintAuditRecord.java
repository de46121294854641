package io.macp.issuer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.macp.issuer.IssuerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One mint decision for the audit log. It has no field that could hold a token, a bearer secret
 * or an Authorization header, so none can be logged by mistake. Unknown values are null.
 *
 * @param time when the request arrived
 * @param caller the authenticated caller id ({@code anonymous} without authentication), or null
 *     when the request was refused before the gate was asked
 * @param source the peer address of the connection
 * @param sender the requested sender, or null when the body had none
 * @param scopes the requested scopes, or null when the body had none
 * @param ttlSeconds the effective TTL when issued, else the TTL asked for, or null
 * @param kid the signing key when issued
 * @param jti the token id when issued
 * @param outcome how the request ended
 * @param reason why it was refused (never sent to the caller), or null
 */
public record MintAuditRecord(
    Instant time,
    String caller,
    String source,
    String sender,
    Map<String, Object> scopes,
    Long ttlSeconds,
    String kid,
    String jti,
    MintOutcome outcome,
    String reason) {

  /** A sender is capped in the audit line; the body limit already bounds everything else. */
  static final int MAX_SENDER_CHARS = 512;

  /** One line of JSON; every value is escaped by Jackson, so a sender can't forge a line. */
  public String toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField("time", time.toString());
      g.writeStringField("event", "mint");
      g.writeStringField("outcome", outcome.label());
      g.writeStringField("caller", caller);
      g.writeStringField("source", source);
      g.writeStringField("sender", capped(sender));
      g.writeFieldName("scopes");
      IssuerJson.MAPPER.writeValue(g, scopes);
      if (ttlSeconds == null) {
        g.writeNullField("ttl");
      } else {
        g.writeNumberField("ttl", ttlSeconds);
      }
      g.writeStringField("kid", kid);
      g.writeStringField("jti", jti);
      g.writeStringField("reason", reason);
      g.writeEndObject();
    } catch (IOException e) {
      return "{\"event\":\"mint\",\"outcome\":\"" + outcome.label() + "\",\"audit_error\":true}";
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String capped(String s) {
    return s == null || s.length() <= MAX_SENDER_CHARS
        ? s
        : s.substring(0, MAX_SENDER_CHARS) + "…";
  }
}
