package io.macp.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The requests a fabric8 mock server received, for tests that check what the operator called. */
public final class MockServerRequests {
  private MockServerRequests() {}

  /** Every request recorded so far, in order, until none arrives for {@code quiet}. */
  public static List<RecordedRequest> drain(KubernetesMockServer server, Duration quiet)
      throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }
}
