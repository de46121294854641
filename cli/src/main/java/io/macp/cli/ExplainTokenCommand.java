package io.macp.cli;

import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.macp.keyset.Durations;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl macp explain-token NAME TOKEN|-}: would a verifier of this issuer accept the
 * token now, and if not, why. Exit 0 when it would, 1 when it would or might not.
 */
@Command(name = "explain-token", description = "Decode a token (untrusted) and say whether a verifier would accept it now, and why not.")
final class ExplainTokenCommand extends MacpCommand {
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "the MacpIssuer")
  String name;

  @Parameters(index = "1", paramLabel = "TOKEN", description = "the JWT, or - to read it from stdin")
  String token;

  @Option(names = "--cache", converter = DurationConverter.class,
      description = "the verifier's JWKS cache TTL C (default: the issuer's spec.rotation.verifierCacheTtl)")
  Duration cache;

  @Option(names = "--leeway", defaultValue = "60s", converter = DurationConverter.class,
      description = "the verifier's exp leeway (default: ${DEFAULT-VALUE}, as MACP runtimes)")
  Duration leeway;

  @Override
  public Integer call() throws IOException {
    String jwt = token;
    if ("-".equals(token)) {
      jwt = in == null ? null : in.readLine();
      if (jwt == null || jwt.isBlank()) {
        throw new IllegalArgumentException("no token on stdin");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      MacpIssuer issuer = ClusterOptions.issuer(client, name);
      String cmName = IssuerNames.jwksConfigMap(issuer);
      ConfigMap cm = client.configMaps().withName(cmName).get();
      if (cm == null || cm.getData() == null || cm.getData().get(IssuerNames.JWKS_KEY) == null) {
        throw new IllegalStateException("no JWKS yet: ConfigMap " + cmName + " has no " + IssuerNames.JWKS_KEY);
      }
      JWKSet jwks;
      try {
        jwks = JWKSet.parse(cm.getData().get(IssuerNames.JWKS_KEY));
      } catch (ParseException e) {
        throw new IllegalStateException("ConfigMap " + cmName + " holds no valid JWKS: " + e.getMessage(), e);
      }
      IssuerPolicy policy = IssuerSpecValidator.policyOf(issuer);
      Duration c = cache != null ? cache : policy.rotation().verifierCacheTtl();
      TokenExplainer explainer = new TokenExplainer(jwks,
          issuer.getStatus() == null || issuer.getStatus().getKeys() == null ? List.of() : issuer.getStatus().getKeys(),
          policy.issuerClaim(), policy.audience(), c, policy.rotation().propagationDelay(), leeway);
      TokenExplainer.Explanation e = explainer.explain(jwt, clock.instant());
      out.println(e.summary());
      out.println("JWKS: ConfigMap " + client.getNamespace() + "/" + cmName + " (" + jwks.getKeys().size() + " keys)");
      for (TokenExplainer.Check check : e.checks()) {
        out.println(switch (check.outcome()) {
          case OK -> "  ok          ";
          case MAY_REJECT -> "  may reject  ";
          case REJECT -> "  REJECT      ";
        } + check.text());
      }
      String who = "a verifier with a " + Durations.format(c) + " JWKS cache";
      out.println(switch (e.verdict()) {
        case OK -> "verdict: " + who + " ACCEPTS this token now";
        case MAY_REJECT -> "verdict: " + who + " MAY REJECT this token now (see above)";
        case REJECT -> "verdict: " + who + " REJECTS this token now";
      });
      out.flush();
      return e.verdict() == TokenExplainer.Outcome.OK ? 0 : 1;
    }
  }
}
