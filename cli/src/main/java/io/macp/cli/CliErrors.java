package io.macp.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line per failure, in the words a person at a terminal needs; never a stack trace. */
final class CliErrors {
  private CliErrors() {}

  static String message(Throwable e) {
    if (e instanceof KubernetesClientException k) {
      if (k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      Throwable root = k;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "cannot reach the Kubernetes API server: " + root.getClass().getSimpleName()
          + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
