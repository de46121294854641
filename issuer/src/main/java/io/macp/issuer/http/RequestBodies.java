package io.macp.issuer.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/** Reading request bodies with a hard size limit, whatever the headers claim. */
public final class RequestBodies {
  /** Larger bodies are refused with 413; a mint request is a few hundred bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private RequestBodies() {}

  /** Thrown when more than the limit arrives, also for chunked bodies without a length. */
  public static final class TooLargeException extends Exception {
    TooLargeException() {
      super("request body too large", null, false, false);
    }
  }

  /**
   * Reads the whole body, stopping as soon as it exceeds {@code max} bytes.
   *
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   */
  public static byte[] read(InputStream in, long declaredLength, int max)
      throws IOException, TooLargeException {
    if (declaredLength > max) {
      throw new TooLargeException();
    }
    byte[] buf = new byte[declaredLength >= 0 ? (int) declaredLength : Math.min(1024, max + 1)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n > max) {
          throw new TooLargeException();
        }
        // Only a chunked body (or a Content-Length that lied low) grows past its first buffer.
        buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, 1024), max + 1));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
      }
      n += r;
    }
  }

  /**
   * Whether the content type is {@code application/json} (parameters such as charset ignored):
   * the only type the reference parses.
   */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.toLowerCase(Locale.ROOT).equals("application/json");
  }
}
