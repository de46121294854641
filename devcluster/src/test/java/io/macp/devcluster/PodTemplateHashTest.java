package io.macp.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  private static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("issuer").withImage(image).endContainer().endSpec()
        .build();
  }

  @Test
  void labelOrderDoesNotChangeTheHashButAnImageDoes() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");

    assertThat(PodTemplateHash.of(template(ab, "img:1"))).isEqualTo(PodTemplateHash.of(template(ba, "img:1")));
    assertThat(PodTemplateHash.of(template(ab, "img:1"))).isNotEqualTo(PodTemplateHash.of(template(ab, "img:2")));
  }
}
