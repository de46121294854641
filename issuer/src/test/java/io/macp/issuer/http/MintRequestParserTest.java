package io.macp.issuer.http;

import static io.macp.issuer.http.MintRequestParser.INVALID_JSON;
import static io.macp.issuer.http.MintRequestParser.SCOPES_NOT_OBJECT;
import static io.macp.issuer.http.MintRequestParser.SENDER_REQUIRED;
import static io.macp.issuer.http.MintRequestParser.TTL_NOT_POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MintRequestParserTest {
  private final MintRequestParser parser = new MintRequestParser(3600, 300);

  private MintRequestParser.Result json(String body) {
    return parser.parse(true, body.getBytes(StandardCharsets.UTF_8));
  }

  private String error(String body) {
    MintRequestParser.Result r = json(body);
    assertThat(r.valid()).as("valid: %s", body).isFalse();
    return r.error();
  }

  @Test
  void minimalRequestGetsDefaultsAndEmptyScopes() {
    MintRequest r = json("{\"sender\":\"agent://risk\"}").request();
    assertThat(r.sender()).isEqualTo("agent://risk");
    assertThat(r.scopes()).isEmpty();
    assertThat(r.ttlSeconds()).isEqualTo(300);
    assertThat(r.ttlRequested()).isFalse();
  }

  @Test
  void contractExampleKeepsEveryScopeIncludingUnknownKeys() {
    MintRequest r = json("{\"sender\":\"agent://risk\",\"scopes\":{\"can_start_sessions\":true,"
        + "\"is_observer\":false,\"allowed_modes\":[\"macp.mode.decision.v1\"],"
        + "\"max_open_sessions\":1,\"can_manage_mode_registry\":false,"
        + "\"x_custom\":{\"nested\":[1,2.50,null]}},\"ttl_seconds\":3600}").request();
    assertThat(r.scopes()).containsOnlyKeys("can_start_sessions", "is_observer", "allowed_modes",
        "max_open_sessions", "can_manage_mode_registry", "x_custom");
    assertThat(r.scopes().get("allowed_modes")).isEqualTo(List.of("macp.mode.decision.v1"));
    assertThat(r.scopes().get("x_custom"))
        .isEqualTo(Map.of("nested", java.util.Arrays.asList(1, new BigDecimal("2.50"), null)));
    assertThat(r.ttlSeconds()).isEqualTo(3600);
    assertThat(r.ttlRequested()).isTrue();
  }

  @Test
  void scopesCannotBeModifiedByAGate() {
    MintRequest r = json("{\"sender\":\"a\",\"scopes\":{\"is_observer\":true}}").request();
    assertThatThrownBy(() -> r.scopes().put("is_observer", false))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void bodyThatIsNotJsonContentIsNotParsedSoSenderIsRequired() {
    byte[] good = "{\"sender\":\"agent://a\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(parser.parse(false, good).error()).isEqualTo(SENDER_REQUIRED);
    assertThat(parser.parse(false, "not json".getBytes(StandardCharsets.UTF_8)).error())
        .isEqualTo(SENDER_REQUIRED);
    assertThat(parser.parse(true, null).error()).isEqualTo(SENDER_REQUIRED);
    assertThat(parser.parse(true, new byte[0]).error()).isEqualTo(SENDER_REQUIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"sender\":", "{'sender':'a'}", "{\"sender\":\"a\"} x",
      "{\"sender\":\"a\",}", "{\"sender\":\"a\"}{}", "   ", "nul", "{\"sender\":NaN}",
      "{\"sender\":\"a\" /* c */}", "\"agent://a\"", "42", "true", "null",
      "{\"a\":\"\u0001\"}", "{\"ttl_seconds\":01}"})
  void unparsableOrNonContainerBodiesAreInvalidJson(String body) {
    assertThat(error(body)).isEqualTo(INVALID_JSON);
  }

  @Test
  void invalidUtf8IsInvalidJson() {
    byte[] body = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThat(parser.parse(true, body).error()).isEqualTo(INVALID_JSON);
  }

  @Test
  void nestingBeyondTheLimitIsInvalidJsonNotACrash() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThat(error("{\"sender\":\"a\",\"scopes\":{\"x\":" + deep + "}}")).isEqualTo(INVALID_JSON);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "[{\"sender\":\"a\"}]", "{\"sender\":null}",
      "{\"sender\":1}", "{\"sender\":true}", "{\"sender\":[\"a\"]}", "{\"sender\":{}}",
      "{\"sender\":\"\"}", "{\"sender\":\"   \"}", "{\"sender\":\"\\t\\n\\r\"}",
      "{\"sender\":\"\\u00a0\\u2003\\ufeff\\u2028\\u3000\"}", "{\"Sender\":\"a\"}"})
  void missingBlankOrNonStringSenderIsRequired(String body) {
    assertThat(error(body)).isEqualTo(SENDER_REQUIRED);
  }

  @Test
  void senderIsKeptExactlyAsSentIncludingSurroundingSpaceAndZeroWidthCharacters() {
    assertThat(json("{\"sender\":\" agent://a \"}").request().sender()).isEqualTo(" agent://a ");
    // U+200B is not whitespace for JavaScript's trim either.
    assertThat(json("{\"sender\":\"\\u200b\"}").request().sender()).isEqualTo("\u200b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"x\"", "[]", "[{}]", "1", "true"})
  void scopesThatAreNotAnObjectAreRejected(String scopes) {
    assertThat(error("{\"sender\":\"a\",\"scopes\":" + scopes + "}")).isEqualTo(SCOPES_NOT_OBJECT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "-0", "0.0", "-0.5", "\"300\"", "true", "[300]", "{}",
      "-1e400"})
  void nonPositiveOrNonNumericTtlIsRejected(String ttl) {
    assertThat(error("{\"sender\":\"a\",\"ttl_seconds\":" + ttl + "}")).isEqualTo(TTL_NOT_POSITIVE);
  }

  @Test
  void validationOrderIsSenderThenScopesThenTtl() {
    assertThat(error("{\"scopes\":1,\"ttl_seconds\":0}")).isEqualTo(SENDER_REQUIRED);
    assertThat(error("{\"sender\":\"a\",\"scopes\":1,\"ttl_seconds\":0}"))
        .isEqualTo(SCOPES_NOT_OBJECT);
    assertThat(error("{\"sender\":\"a\",\"scopes\":{},\"ttl_seconds\":0}"))
        .isEqualTo(TTL_NOT_POSITIVE);
    assertThat(error("{\"sender\":1,\"scopes\":1,\"ttl_seconds\":0} trailing"))
        .isEqualTo(INVALID_JSON);
  }

  @Test
  void ttlNullMeansDefault() {
    MintRequest r = json("{\"sender\":\"a\",\"ttl_seconds\":null}").request();
    assertThat(r.ttlSeconds()).isEqualTo(300);
    assertThat(r.ttlRequested()).isFalse();
  }

  @Test
  void ttlAboveTheMaximumIsClampedNotRejected() {
    assertThat(ttl("3601")).isEqualTo(3600);
    assertThat(ttl("1e400")).isEqualTo(3600);
    assertThat(ttl("99999999999999999999999999999")).isEqualTo(3600);
    assertThat(ttl("1e999999999")).isEqualTo(3600);
    assertThat(ttl("3600")).isEqualTo(3600);
  }

  @Test
  void fractionalTtlIsRoundedUpToWholeSeconds() {
    assertThat(ttl("1.5")).isEqualTo(2);
    assertThat(ttl("0.001")).isEqualTo(1);
    assertThat(ttl("1e-999999999")).isEqualTo(1);
    assertThat(ttl("59.0")).isEqualTo(59);
    assertThat(ttl("3599.2")).isEqualTo(3600);
    assertThat(ttl("1.2e2")).isEqualTo(120);
  }

  @Test
  void duplicateKeysTakeTheLastValueLikeJavaScript() {
    assertThat(json("{\"sender\":\"\",\"sender\":\"b\"}").request().sender()).isEqualTo("b");
  }

  @Test
  void defaultAboveMaximumIsAProgrammingError() {
    assertThatThrownBy(() -> new MintRequestParser(60, 300))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private long ttl(String ttl) {
    MintRequestParser.Result r = json("{\"sender\":\"a\",\"ttl_seconds\":" + ttl + "}");
    assertThat(r.valid()).as("ttl %s: %s", ttl, r.error()).isTrue();
    return r.request().ttlSeconds();
  }
}
