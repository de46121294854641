package io.macp.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterProbeTest {
  KubernetesClient client;

  @Test
  void anAnsweringApiServerIsReachable() {
    ClusterProbe.Result result = ClusterProbe.probe(client.getConfiguration(), Duration.ofSeconds(3));
    assertThat(result.reachable()).isTrue();
    assertThat(result.description()).contains(client.getConfiguration().getMasterUrl());
  }

  @Test
  void aClosedPortIsNotReachableAndSaysWhy() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    Config nowhere = new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + freePort).build();
    ClusterProbe.Result result = ClusterProbe.probe(nowhere, Duration.ofSeconds(2));
    assertThat(result.reachable()).isFalse();
    assertThat(result.description()).contains("127.0.0.1:" + freePort);
  }
}
