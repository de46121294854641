package io.macp.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The kubeconfig options kubectl users expect: {@code --kubeconfig} (else KUBECONFIG, else
 * ~/.kube/config), {@code --context} (else the current context) and {@code -n/--namespace} (else
 * the context's namespace, else default). Read by fabric8's {@link Config}, as kubectl would.
 */
public final class ClusterOptions {
  @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context (default: the current context)")
  String context;

  @Option(names = {"-n", "--namespace"}, description = "namespace (default: the context's)")
  String namespace;

  @Option(names = "--request-timeout", defaultValue = "20",
      description = "seconds to wait for one API request (default: ${DEFAULT-VALUE})")
  int requestTimeoutSeconds;

  KubernetesClient client() {
    Config config;
    if (kubeconfig != null) {
      try {
        config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
      }
    } else {
      config = Config.autoConfigure(context);
    }
    if (context != null && (config.getContexts() == null
        || config.getContexts().stream().noneMatch(c -> context.equals(c.getName())))) {
      // fabric8 falls back to the current context; kubectl refuses, and so do we
      throw new IllegalArgumentException("context \"" + context + "\" does not exist in the kubeconfig");
    }
    if (namespace != null) {
      config.setNamespace(namespace);
    }
    if (config.getNamespace() == null) {
      config.setNamespace("default");
    }
    config.setRequestTimeout(requestTimeoutSeconds * 1000);
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The issuer, or an error naming namespace and name. */
  static MacpIssuer issuer(KubernetesClient client, String name) {
    MacpIssuer issuer = client.resources(MacpIssuer.class).withName(name).get();
    if (issuer == null) {
      throw new IllegalArgumentException(
          "no MacpIssuer " + name + " in namespace " + client.getNamespace());
    }
    return issuer;
  }
}
