package io.macp.issuer.http;

import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses every {@code Transfer-Encoding} but {@code chunked} alone, with 400 and a closed
 * connection, before any route runs. Jetty frames a body by its last coding and ignores the ones
 * before it ({@code foo, chunked} minted), so the body read would not be the one the client sent;
 * no MACP client compresses requests. RFC 9112 section 6.1 lets a server refuse a coding it does
 * not apply (with 501, which {@link JsonErrorHandler} answers as 400 like every malformed request),
 * and section 6.3 says the connection must then close, as the body's end is unknown.
 */
public final class TransferCodingHandler extends Handler.Wrapper {

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    List<String> codings = request.getHeaders().getCSV(HttpHeader.TRANSFER_ENCODING, false);
    boolean present = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (present && !(codings.size() == 1 && "chunked".equalsIgnoreCase(codings.get(0).strip()))) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      Response.writeError(request, response, callback, 400);
      return true;
    }
    return super.handle(request, response, callback);
  }
}
