package io.macp.issuer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
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

  /** A sender is capped in the audit line. */
  static final int MAX_SENDER_CHARS = 512;

  /** Caller, source and reason are capped too: they may echo what a client sent. */
  static final int MAX_FIELD_CHARS = 256;

  /**
   * Scopes written longer than this are replaced by their first {@link #SCOPES_PREFIX_CHARS}
   * characters (as a string) and their length; a line stays under about 2.5 KiB.
   */
  static final int MAX_SCOPES_CHARS = 1024;

  static final int SCOPES_PREFIX_CHARS = 256;

  private static final ObjectWriter ASCII_WRITER =
      IssuerJson.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

  /**
   * One line of JSON; every value is escaped by Jackson, so a sender can't forge a line. Time,
   * event, outcome, caller, source and reason are always there: only the scopes are written from
   * a value that could fail, and a failure there drops the scopes, not the line.
   */
  public String toJson() {
    String scopesJson = null;
    boolean scopesFailed = false;
    if (scopes != null) {
      try {
        scopesJson = ASCII_WRITER.writeValueAsString(scopes);
      } catch (IOException | RuntimeException e) {
        scopesFailed = true;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      // ASCII only: control chars, line breaks and lone surrogates become backslash-u escapes.
      g.enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
      g.writeStartObject();
      g.writeStringField("time", time == null ? null : time.toString());
      g.writeStringField("event", "mint");
      g.writeStringField("outcome", outcome.label());
      g.writeStringField("caller", capped(caller, MAX_FIELD_CHARS));
      g.writeStringField("source", capped(source, MAX_FIELD_CHARS));
      g.writeStringField("sender", capped(sender, MAX_SENDER_CHARS));
      if (scopesJson == null || scopesJson.length() <= MAX_SCOPES_CHARS) {
        g.writeFieldName("scopes");
        if (scopesJson == null) {
          g.writeNull();
        } else {
          // Written by the same mapper a moment ago: valid JSON, one line.
          g.writeRawValue(scopesJson);
        }
      } else {
        g.writeNullField("scopes");
        g.writeStringField("scopes_prefix", prefix(scopesJson, SCOPES_PREFIX_CHARS));
        g.writeNumberField("scopes_chars", scopesJson.length());
      }
      if (scopesFailed) {
        g.writeBooleanField("scopes_unwritable", true);
      }
      if (ttlSeconds == null) {
        g.writeNullField("ttl");
      } else {
        g.writeNumberField("ttl", ttlSeconds);
      }
      g.writeStringField("kid", kid);
      g.writeStringField("jti", jti);
      g.writeStringField("reason", capped(reason, MAX_FIELD_CHARS));
      g.writeEndObject();
    } catch (IOException e) {
      // Writing strings to memory does not fail; kept so a line is never lost.
      throw new IllegalStateException("writing an audit line to memory failed", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String capped(String s, int max) {
    return s == null || s.length() <= max ? s : prefix(s, max) + "…";
  }

  /** At most {@code max} chars, never ending inside a surrogate pair (that would not encode). */
  static String prefix(String s, int max) {
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
