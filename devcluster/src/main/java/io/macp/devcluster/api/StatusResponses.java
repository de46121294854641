package io.macp.devcluster.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** meta/v1 Status bodies, the way a real API server reports a failure to kubectl. */
final class StatusResponses {
  private StatusResponses() {}

  /**
   * @param code the HTTP status code, repeated in the body
   * @param reason a metav1.StatusReason, e.g. "NotFound", "UnsupportedMediaType"
   */
  static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }
}
