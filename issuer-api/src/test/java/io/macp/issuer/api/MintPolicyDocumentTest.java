package io.macp.issuer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MintPolicyDocumentTest {
  private static final MintPolicyDocument SHARED = new MintPolicyDocument(
      AuthenticationMode.SHARED_SECRET,
      new MintPolicyDocument.SharedSecret("../mint-tokens"),
      null,
      List.of(new MintPolicyDocument.Client(null, "ci", null, List.of("agent://ci/**"), "15m",
          new MintPolicyDocument.Scopes(true, false, null, 5, List.of("macp.mode.decision.v1")),
          new MintPolicyDocument.RateLimit(2.5, 10))));

  @Test
  void whatTheOperatorWritesReadsBackEqualAndValid() {
    String json = SHARED.toJson();
    assertThat(json).contains("\"authentication\" : \"SharedSecret\"")
        .contains("\"can_start_sessions\" : true")
        .doesNotContain("null")
        .endsWith("}\n");
    MintPolicyDocument read = MintPolicyDocument.parse(json);
    assertThat(read).isEqualTo(SHARED);
    read.validate();
    assertThat(read.toJson()).isEqualTo(json);
  }

  @Test
  void valuesOfTheWrongJsonTypeAreRefusedNotCoerced() {
    String base = "{\"authentication\": \"SharedSecret\", \"sharedSecret\": {\"tokensDir\": \"t\"},"
        + " \"clients\": [{\"sharedSecret\": \"ci\", \"senders\": [\"x\"], ";
    assertThatThrownBy(() -> MintPolicyDocument.parse(base + "\"scopes\": {\"is_observer\": \"false\"}}]}"))
        .hasMessageContaining("clients[0].scopes.is_observer must be true or false");
    assertThatThrownBy(() -> MintPolicyDocument.parse(base + "\"scopes\": {\"max_open_sessions\": 1.5}}]}"))
        .hasMessageContaining("max_open_sessions must be a whole number");
    assertThatThrownBy(() -> MintPolicyDocument.parse(base + "\"maxTtl\": 60}]}"))
        .hasMessageContaining("clients[0].maxTtl must be a string");
    assertThatThrownBy(() -> MintPolicyDocument.parse(base + "\"rateLimit\": {\"burst\": 1, \"x\": 2}}]}"))
        .hasMessageContaining("unknown field clients[0].rateLimit.x");
    // a whole number is a number
    assertThat(MintPolicyDocument.parse(base + "\"rateLimit\": {\"requestsPerSecond\": 5, \"burst\": 1}}]}")
        .clients().get(0).rateLimit().requestsPerSecond()).isEqualTo(5.0);
  }

  @Test
  void validateNamesTheFirstBrokenRule() {
    MintPolicyDocument none = new MintPolicyDocument(AuthenticationMode.NONE, null, null,
        List.of(new MintPolicyDocument.Client("ns/sa", null, null, List.of("x"), null, null, null)));
    assertThatThrownBy(none::validate)
        .hasMessage("clients[0].serviceAccount cannot be used with authentication None");
    MintPolicyDocument badSender = new MintPolicyDocument(AuthenticationMode.SHARED_SECRET,
        new MintPolicyDocument.SharedSecret("t"), null,
        List.of(new MintPolicyDocument.Client(null, "ci", null, List.of("agent://a/***"), null, null, null)));
    assertThatThrownBy(badSender::validate).hasMessageStartingWith("clients[0].senders: ")
        .hasMessageContaining("***");
    assertThatThrownBy(() -> new MintPolicyDocument(null, null, null, null).validate())
        .hasMessage("authentication is required");
  }
}
