package io.macp.issuer.security.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macp.issuer.security.InvalidPolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import io.macp.issuer.files.FileContent;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Posts a TokenReview ({@code authentication.k8s.io/v1}) with {@link java.net.http.HttpClient},
 * authenticated by the issuer pod's own ServiceAccount token. No Kubernetes client library.
 */
public final class TokenReviewClient {
  public static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the API server said; {@code username}/{@code audiences} only when authenticated. */
  public record Review(boolean authenticated, String username, List<String> audiences) {}

  /** The API server could not be asked or answered with an error status. */
  public static final class ReviewUnavailableException extends Exception {
    ReviewUnavailableException(String message) {
      super(message);
    }
  }

  /** A projected ServiceAccount token is a JWT of a few KiB. */
  private static final int MAX_OWN_TOKEN_BYTES = 64 * 1024;

  private final TokenReviewSettings settings;
  private final HttpClient http;
  private final URI endpoint;

  public TokenReviewClient(TokenReviewSettings settings) throws InvalidPolicyException {
    this.settings = settings;
    this.endpoint = URI.create(settings.apiServer() + PATH);
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    if (settings.caFile() != null && "https".equals(settings.apiServer().getScheme())) {
      b.sslContext(trusting(settings));
    }
    this.http = b.build();
  }

  public Review review(String token) throws ReviewUnavailableException, InterruptedException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("apiVersion", "authentication.k8s.io/v1");
    body.put("kind", "TokenReview");
    ObjectNode spec = body.putObject("spec");
    spec.put("token", token);
    spec.putArray("audiences").add(settings.audience());
    String ownToken;
    try {
      // read at each review: the kubelet refreshes a projected token in place
      ownToken = new String(FileContent.read(settings.tokenFile(), MAX_OWN_TOKEN_BYTES).bytes(),
          StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ReviewUnavailableException("cannot read the issuer's own ServiceAccount token "
          + settings.tokenFile() + ": " + e.getClass().getSimpleName());
    }
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(settings.timeout())
        .header("Authorization", "Bearer " + ownToken)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ReviewUnavailableException("TokenReview request failed: "
          + e.getClass().getSimpleName());
    }
    if (response.statusCode() / 100 != 2) {
      throw new ReviewUnavailableException("TokenReview answered HTTP " + response.statusCode());
    }
    try {
      JsonNode status = MAPPER.readTree(response.body()).path("status");
      // Only the JSON literal true: asBoolean() would also take "true" and 1 (fail closed).
      JsonNode authenticated = status.path("authenticated");
      if (!authenticated.isBoolean() || !authenticated.booleanValue()) {
        return new Review(false, null, List.of());
      }
      List<String> audiences = new ArrayList<>();
      for (JsonNode a : status.path("audiences")) {
        if (a.isTextual()) {
          audiences.add(a.textValue());
        }
      }
      JsonNode user = status.path("user").path("username");
      return new Review(true, user.isTextual() ? user.textValue() : null, audiences);
    } catch (IOException e) {
      throw new ReviewUnavailableException("TokenReview answer is not JSON");
    }
  }

  private static SSLContext trusting(TokenReviewSettings s) throws InvalidPolicyException {
    try (InputStream in = Files.newInputStream(s.caFile())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new InvalidPolicyException("serviceAccount.caFile " + s.caFile()
            + " holds no certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidPolicyException("cannot use serviceAccount.caFile " + s.caFile() + ": "
          + e.getMessage());
    }
  }
}
