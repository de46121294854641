package io.macp.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.macp.keyset.KeyGenerator;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.policy.IssuerPolicy;
import io.macp.operator.policy.IssuerSpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code kubectl macp simulate -f issuer.yaml [--periods N]}: the operator's own validation and
 * planner on a spec, before it is applied; no cluster needed. Exit 1 when the spec has problems.
 */
@Command(name = "simulate", description = "Check a MacpIssuer before applying it: every validation problem, then the coming key timeline (no cluster needed).")
final class SimulateCommand extends MacpCommand {
  @Option(names = {"-f", "--filename"}, required = true, description = "a YAML file with a MacpIssuer")
  Path file;

  @Option(names = "--periods", defaultValue = "3", description = "how many rotation periods to plan (default: ${DEFAULT-VALUE})")
  int periods;

  @Override
  public Integer call() throws IOException {
    if (periods < 1 || periods > 100) {
      // bad usage (exit 2), like every other option picocli refuses
      throw new ParameterException(spec.commandLine(), "--periods must be between 1 and 100 (got " + periods + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<MacpIssuer> issuers = read(file);
    int code = 0;
    for (MacpIssuer issuer : issuers) {
      out.println(file + ": MacpIssuer " + issuer.getMetadata().getName());
      IssuerSpecValidator.Result result = IssuerSpecValidator.validate(issuer);
      if (!result.valid()) {
        out.println("problems (the operator would refuse this spec and keep the current keys):");
        result.problems().forEach(p -> out.println("  - " + p));
        out.println();
        code = 1;
        continue;
      }
      IssuerPolicy policy = result.policy().orElseThrow();
      out.println("problems: none");
      out.println("policy: " + policy.keySpec() + ", " + Simulation.describe(policy.rotation()));
      Simulation sim = Simulation.run(policy, clock.instant().truncatedTo(ChronoUnit.SECONDS), periods, KeyGenerator.secure());
      out.println("timeline over " + periods + " periods, virtual clock from " + sim.start() + ":");
      out.print(TimelineView.render(sim.keys().stream().map(TimelineView.KeyLine::of).toList(),
          sim.start(), sim.start(), sim.end()));
      out.println("events:");
      sim.events().forEach(e -> out.println("  " + e));
      sim.warnings().forEach(w -> out.println("warning: " + w));
      out.println();
    }
    out.flush();
    return code;
  }

  /** Every MacpIssuer in the file; anything else in it is skipped, none at all is an error. */
  static List<MacpIssuer> read(Path file) throws IOException {
    List<MacpIssuer> issuers = new ArrayList<>();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the path \"" + file + "\" does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.isBlank() || doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      GenericKubernetesResource generic;
      try {
        generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + " is not a Kubernetes manifest: " + e.getMessage(), e);
      }
      if (generic != null && "MacpIssuer".equals(generic.getKind())) {
        MacpIssuer issuer = Serialization.unmarshal(doc, MacpIssuer.class);
        if (issuer.getMetadata().getNamespace() == null) {
          // as kubectl apply would place it; the validation derives in-cluster URLs from it
          issuer.getMetadata().setNamespace("default");
        }
        issuers.add(issuer);
      }
    }
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no MacpIssuer");
    }
    return issuers;
  }
}
