package io.macp.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MintAuditRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rendersOneJsonLineWithEveryField() throws Exception {
    MintAuditRecord r = new MintAuditRecord(Instant.parse("2026-11-23T12:00:00Z"), "sa:ns/x",
        "10.0.0.7", "agent://a", Map.of("allowed_modes", List.of("m")), 60L, "kid-1", "jti-1",
        MintOutcome.ISSUED, null);
    String line = r.toJson();
    assertThat(line).doesNotContain("\n");
    JsonNode n = JSON.readTree(line);
    assertThat(n.get("time").asText()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(n.get("event").asText()).isEqualTo("mint");
    assertThat(n.get("outcome").asText()).isEqualTo("issued");
    assertThat(n.get("caller").asText()).isEqualTo("sa:ns/x");
    assertThat(n.get("source").asText()).isEqualTo("10.0.0.7");
    assertThat(n.get("sender").asText()).isEqualTo("agent://a");
    assertThat(n.get("scopes").get("allowed_modes").get(0).asText()).isEqualTo("m");
    assertThat(n.get("ttl").asLong()).isEqualTo(60);
    assertThat(n.get("kid").asText()).isEqualTo("kid-1");
    assertThat(n.get("jti").asText()).isEqualTo("jti-1");
    assertThat(n.get("reason").isNull()).isTrue();
  }

  @Test
  void unknownValuesAreNullAndLongSendersAreCapped() throws Exception {
    MintAuditRecord r = new MintAuditRecord(Instant.EPOCH, null, "::1", "s".repeat(5000), null,
        null, null, null, MintOutcome.INVALID, "sender is required");
    JsonNode n = JSON.readTree(r.toJson());
    assertThat(n.get("caller").isNull()).isTrue();
    assertThat(n.get("scopes").isNull()).isTrue();
    assertThat(n.get("ttl").isNull()).isTrue();
    assertThat(n.get("sender").asText()).hasSize(MintAuditRecord.MAX_SENDER_CHARS + 1);
  }
}
