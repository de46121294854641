package io.macp.issuer.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (malformed requests, oversized headers, errors outside the routes) as
 * {@code {"error":"..."}} instead of HTML, never with a stack trace or the request echoed back.
 */
public final class JsonErrorHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = request.getAttribute(ERROR_STATUS) instanceof Integer code
        ? code
        : response.getStatus();
    if (status < 400) {
      status = 500;
    }
    status = forInput(status);
    response.setStatus(status);
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonAnswers.JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(JsonAnswers.errorBody(message(status))), callback);
    return true;
  }

  /**
   * Jetty answers a few malformed requests with a 5xx: 505 for an unknown HTTP version
   * ({@code HTTP/1.2}, {@code HTTP/9.9}), 501 for an unknown transfer coding. Both are about what
   * the client sent, and the contract allows no 5xx for any input: they become 400.
   */
  static int forInput(int status) {
    return status == 505 || status == 501 ? 400 : status;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    status = forInput(status);
    if (HttpStatus.hasNoBody(status)) {
      return null;
    }
    fields.put(HttpHeader.CONTENT_TYPE, JsonAnswers.JSON);
    return ByteBuffer.wrap(JsonAnswers.errorBody(message(status)));
  }

  /** A fixed text per status: nothing from the request is reflected. */
  public static String message(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> MintRoute.TOO_LARGE;
      case 500 -> MintRoute.INTERNAL;
      default -> {
        String m = HttpStatus.getMessage(status);
        yield m == null ? "error " + status : m.toLowerCase(Locale.ROOT);
      }
    };
  }
}
