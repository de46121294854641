package io.macp.issuer.http;

import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Limits the connector named {@link #CONNECTOR_NAME} to the public endpoints: every other path
 * (POST /tokens first of all) answers 404 {@code {"error":"not found"}} there, before any route
 * runs, so the same routes serve both ports without a second copy. A NetworkPolicy selects ports,
 * not paths: this is what lets it admit verifiers and probes to the JWKS without the mint.
 */
public final class PublicPortHandler extends Handler.Wrapper {
  /** The name of the public connector. */
  public static final String CONNECTOR_NAME = "public";

  private final Set<String> publicPaths;

  /** @param publicPaths exact, canonical paths served on the public connector */
  public PublicPortHandler(Set<String> publicPaths) {
    this.publicPaths = Set.copyOf(publicPaths);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (onPublicConnector(request) && !isPublic(request.getHttpURI().getCanonicalPath())) {
      // Through the server's error handler: the same JSON body as any other 404.
      Response.writeError(request, response, callback, 404);
      return true;
    }
    return super.handle(request, response, callback);
  }

  /** Null for targets without a path ({@code OPTIONS *}): never public. */
  private boolean isPublic(String canonicalPath) {
    return canonicalPath != null && publicPaths.contains(canonicalPath);
  }

  static boolean onPublicConnector(Request request) {
    Connector connector = request.getConnectionMetaData().getConnector();
    return connector != null && CONNECTOR_NAME.equals(connector.getName());
  }
}
