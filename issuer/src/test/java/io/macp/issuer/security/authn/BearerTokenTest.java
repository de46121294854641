package io.macp.issuer.security.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.macp.issuer.security.policy.PolicyHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
  @TempDir Path tmp;

  @Test
  void acceptsRfc6750Headers() {
    assertThat(BearerToken.parse("Bearer abc.DEF-_~+/123==")).contains("abc.DEF-_~+/123==");
    assertThat(BearerToken.parse("bearer   abc")).contains("abc");
    assertThat(BearerToken.parse("BEARER abc")).contains("abc");
  }

  @Test
  void refusesMalformedHeaders() {
    for (String bad : new String[] {null, "", "Bearer", "Bearer ", "Bearer  ", "Basic abc",
        "Bearerabc", "Bearer\tabc", "Bearer abc def", "Bearer abc ", " Bearer abc", "Bearer =abc",
        "Bearer ab=c", "Bearer a\u00e9b", "Bearer a\nb", "Token abc",
        "Bearer " + "a".repeat(BearerToken.MAX_LENGTH)}) {
      assertThat(BearerToken.parse(bad)).as(String.valueOf(bad)).isEmpty();
    }
  }

  /** Random and hostile Authorization values never throw, in every authentication mode. */
  @Test
  void fuzzedHeadersNeverThrowInAnyMode() throws Exception {
    Path tokens = Files.createDirectories(tmp.resolve("tokens"));
    Files.writeString(tokens.resolve("ci"), "ci-token-0123456789abcdef");
    Files.writeString(tmp.resolve("secret.json"), """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
         "clients": [{"sharedSecret": "ci", "senders": ["agent://ci/*"]}]}
        """);
    // TokenReview against a closed port: every review fails closed without waiting long
    Files.writeString(tmp.resolve("own"), "own");
    Files.writeString(tmp.resolve("sa.json"), """
        {"authentication": "ServiceAccount",
         "serviceAccount": {"apiServer": "http://127.0.0.1:1", "tokenFile": "own", "caFile": "",
                            "audience": "https://issuer", "timeout": "1s"},
         "clients": [{"serviceAccount": "a/b", "senders": ["agent://ci/*"]}]}
        """);
    Random random = new Random(20261123);
    try (PolicyHarness secret = new PolicyHarness(tmp.resolve("secret.json"));
        PolicyHarness sa = new PolicyHarness(tmp.resolve("sa.json"))) {
      for (int i = 0; i < 2000; i++) {
        String header = fuzz(random, i);
        for (PolicyHarness gate : new PolicyHarness[] {secret, sa}) {
          if (gate == sa && BearerToken.parse(header).isPresent() && i % 50 != 0) {
            continue; // a well-formed token costs a (refused) connection; sample those
          }
          assertThatCode(() -> {
            var d = gate.decide(header, "agent://ci/x", Map.of(), 60);
            assertThat(d.caller()).isIn("anonymous", "secret:ci");
          }).as("header #%d", i).doesNotThrowAnyException();
        }
      }
    }
  }

  private static String fuzz(Random r, int i) {
    return switch (i % 8) {
      case 0 -> new String(bytes(r, r.nextInt(64)), StandardCharsets.ISO_8859_1);
      case 1 -> "Bearer " + new String(bytes(r, r.nextInt(64)), StandardCharsets.UTF_8);
      case 2 -> "Bearer" + " ".repeat(r.nextInt(5)) + "x".repeat(r.nextInt(40));
      case 3 -> "Bearer " + "A".repeat(5000 + r.nextInt(20000));
      case 4 -> " ".repeat(r.nextInt(4)) + "bEaReR " + Long.toHexString(r.nextLong());
      case 5 -> "Basic " + Long.toHexString(r.nextLong());
      case 6 -> "Bearer " + "=".repeat(r.nextInt(3)) + "ci-token-0123456789abcdef";
      default -> r.nextBoolean() ? "" : "Bearer ci-token-0123456789abcdef\u0000";
    };
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
