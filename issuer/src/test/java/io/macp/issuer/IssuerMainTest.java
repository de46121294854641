package io.macp.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone process: configuration errors, startup line, SIGTERM. */
class IssuerMainTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private static Process launch(Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        IssuerMain.class.getName());
    pb.environment().keySet().removeIf(k -> k.startsWith("MACP_AUTH_") || k.equals("PORT"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    return pb.start();
  }

  private static List<String> readAll(Process p) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * The image build runs this under -XX:ArchiveClassesAtExit with the shaded jar (CDS refuses
   * class directories, so the archive itself is checked by bench/, not here).
   */
  @Test
  void warmUpServesOneOfEachRequestThenExits() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        IssuerMain.class.getName(), "--warm-up");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> out = readAll(p);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join("\n", out)).isZero();
    assertThat(String.join("\n", out)).contains("\"sender\":\"agent://warm-up\"", "\"outcome\":\"issued\"");
  }

  @Test
  void anUnsupportedAlgorithmFailsStartupWithExitCode2AndAClearMessage() throws Exception {
    Process p = launch(Map.of("MACP_AUTH_SIGNING_ALG", "HS256", "PORT", "0"));
    List<String> out = readAll(p);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(String.join("\n", out))
        .contains("MACP_AUTH_SIGNING_ALG: unsupported signing algorithm 'HS256': "
            + "use RS256 or ES256");
  }

  @Test
  void servesUntilSigtermThenDrainsAndStops() throws Exception {
    // RS256 with the native provider the process installs: tokens must verify with the JDK's.
    Process p = launch(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_ISSUER", "https://issuer.test"));
    try {
      BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> out = new ArrayList<>();
      int port = readUntilListening(r, out);
      assertThat(String.join("\n", out)).contains("crypto provider for signing: ",
          "issuer=https://issuer.test", "key source=ephemeral", "alg=RS256",
          "mint authentication=None", "TLS=off");
      Http http = new Http(URI.create("http://127.0.0.1:" + port));
      assertThat(http.get("/healthz").body()).isEqualTo("{\"ok\":true}");
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> minted = http.postJson("/tokens", "{\"sender\":\"agent://a\"}");
        assertThat(minted.statusCode()).isEqualTo(200);
        String token = new ObjectMapper().readTree(minted.body()).get("token").asText();
        assertThat(Tokens.claims(token, http.get("/.well-known/jwks.json").body()).getSubject())
            .isEqualTo("agent://a");
      }

      p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
      for (String line; (line = r.readLine()) != null; ) {
        out.add(line);
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String all = String.join("\n", out);
      assertThat(all).contains("OPEN MINT", "docs/security.md");
      assertThat(all).contains("\"event\":\"mint\",\"outcome\":\"issued\"");
      assertThat(all).contains("shutting down: draining requests in flight", "issuer stopped");
      assertThat(all).doesNotContain("\"token\"");
    } finally {
      p.destroyForcibly();
    }
  }

  /** Reads the output up to the startup line; returns the port it names. */
  private static int readUntilListening(BufferedReader r, List<String> out) throws IOException {
    for (String line; (line = r.readLine()) != null; ) {
      out.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("no startup line in:\n" + String.join("\n", out));
  }

  @Test
  void theMintPolicyFromTheEnvironmentIsEnforced(@TempDir Path dir) throws Exception {
    String token = "main-token-0123456789abcdef";
    Files.createDirectories(dir.resolve("tokens"));
    Files.writeString(dir.resolve("tokens/orchestrator"), token + "\n");
    Files.writeString(dir.resolve("policy.json"), """
        {"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
         "clients": [{"sharedSecret": "orchestrator", "senders": ["agent://team-a/*"]}]}
        """);
    Process p = launch(Map.of("PORT", "0", "MACP_AUTH_BIND_ADDRESS", "127.0.0.1",
        "MACP_AUTH_SIGNING_ALG", "ES256", "MACP_AUTH_NATIVE_CRYPTO", "false",
        "MACP_AUTH_MINT_POLICY_FILE", dir.resolve("policy.json").toString()));
    try {
      BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> out = new ArrayList<>();
      int port = readUntilListening(r, out);
      assertThat(String.join("\n", out)).contains("mint authentication=SharedSecret")
          .doesNotContain("OPEN MINT");
      Http http = new Http(URI.create("http://127.0.0.1:" + port));
      String body = "{\"sender\":\"agent://team-a/x\"}";
      assertThat(http.postJson("/tokens", body).statusCode()).isEqualTo(401);
      assertThat(http.post("/tokens", body, "Content-Type", "application/json",
          "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
      assertThat(http.post("/tokens", body.replace("team-a", "team-b"),
          "Content-Type", "application/json", "Authorization", "Bearer " + token).statusCode())
          .isEqualTo(403);
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnusableMintPolicyFailsStartupWithExitCode1AndTheReason(@TempDir Path dir)
      throws Exception {
    Process p = launch(Map.of("PORT", "0", "MACP_AUTH_SIGNING_ALG", "ES256",
        "MACP_AUTH_MINT_POLICY_FILE", dir.resolve("missing.json").toString()));
    List<String> out = readAll(p);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(String.join("\n", out)).contains("issuer failed to start: mint-policy:",
        "missing.json");
  }
}
