package io.macp.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationRequestsTest {

  @Test
  void aNewNonceAsksForARotation() {
    var r = AnnotationRequests.read(Map.of("macp.io/rotate", " n1 "), List.of("n0"), List.of());
    assertThat(r.rotateNonce()).isEqualTo("n1");
    assertThat(r.toRotationRequests().rotateNow()).isTrue();
    assertThat(r.any()).isTrue();
  }

  @Test
  void aHandledNonceOrRevokeIsIgnored() {
    var r = AnnotationRequests.read(
        Map.of("macp.io/rotate", "n1", "macp.io/revoke", "a,b"), List.of("n1"), List.of("a,b"));
    assertThat(r.any()).isFalse();
    assertThat(r.toRotationRequests().rotateNow()).isFalse();
    assertThat(r.toRotationRequests().revokeKids()).isEmpty();
  }

  @Test
  void revokeTakesACommaSeparatedList() {
    var r = AnnotationRequests.read(Map.of("macp.io/revoke", "a, b,,a "), List.of(), List.of());
    assertThat(r.revokeValue()).isEqualTo("a, b,,a");
    assertThat(r.revokeKids()).containsExactly("a", "b");
  }

  @Test
  void noAnnotationsNoRequests() {
    assertThat(AnnotationRequests.read(null, List.of(), List.of()).any()).isFalse();
    assertThat(AnnotationRequests.read(Map.of("macp.io/rotate", " "), List.of(), List.of()).any())
        .isFalse();
  }
}
