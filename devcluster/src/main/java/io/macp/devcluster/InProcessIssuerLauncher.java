package io.macp.devcluster;

import io.macp.issuer.IssuerConfig;
import io.macp.issuer.IssuerServer;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** Runs each replica as an {@link IssuerServer} in this JVM, configured from the pod's env. */
public final class InProcessIssuerLauncher implements IssuerLauncher {
  private final Clock clock;

  private InProcessIssuerLauncher(Clock clock) {
    this.clock = clock;
  }

  public static InProcessIssuerLauncher create(Clock clock) {
    return new InProcessIssuerLauncher(clock);
  }

  @Override
  public Running start(Map<String, String> env) {
    IssuerServer server = IssuerServer.start(IssuerConfig.fromEnv(env), clock);
    return new Running() {
      @Override
      public URI baseUri() {
        return server.baseUri();
      }

      @Override
      public URI publicBaseUri() {
        return server.publicBaseUri();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
