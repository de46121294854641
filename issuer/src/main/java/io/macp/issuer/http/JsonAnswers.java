package io.macp.issuer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.macp.issuer.IssuerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Writes the issuer's JSON answers; errors are {@code {"error":"..."}} as in the contract. */
public final class JsonAnswers {
  public static final String JSON = "application/json";

  /** Error texts are a small fixed set, so their bodies are built once. */
  private static final Map<String, byte[]> ERROR_BODIES = new ConcurrentHashMap<>();

  private JsonAnswers() {}

  public static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType(JSON).result(errorBody(message));
  }

  public static void json(Context ctx, int status, byte[] body) {
    ctx.status(status).contentType(JSON).result(body);
  }

  /** {@code {"error":message}}, escaped by Jackson. */
  public static byte[] errorBody(String message) {
    return ERROR_BODIES.computeIfAbsent(message, m -> object("error", m));
  }

  /** Any small JSON value (answers off the hot path). */
  public static byte[] bytes(Object value) {
    try {
      return IssuerJson.MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-field object, escaped by Jackson. */
  static byte[] object(String field, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = IssuerJson.generator(out)) {
      g.writeStartObject();
      g.writeStringField(field, value);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
