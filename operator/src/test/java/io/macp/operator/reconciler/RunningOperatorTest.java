package io.macp.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test against a fresh mock API server (CRUD mode) with the real operator running on it, one per
 * test method. The mock extension fills {@link #client}, inherited fields included.
 */
@EnableKubernetesMockClient(crud = true, https = false)
abstract class RunningOperatorTest {
  KubernetesClient client;
  IssuerTestCluster cluster;

  @BeforeEach
  void startOperator() {
    cluster = new IssuerTestCluster(client).startOperator();
  }

  @AfterEach
  void stopOperator() {
    cluster.close();
  }
}
