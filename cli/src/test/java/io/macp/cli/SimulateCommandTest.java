package io.macp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl macp simulate} input errors: bad usage exits 2, an unreadable file says why. */
class SimulateCommandTest {
  private static final String ISSUER = """
      apiVersion: macp.io/v1alpha1
      kind: MacpIssuer
      metadata:
        name: demo
      spec: {}
      """;

  @Test
  void periodsOutOfRangeIsBadUsage(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("issuer.yaml"), ISSUER);
    for (String periods : new String[] {"0", "-1", "101"}) {
      CliRun run = CliRun.run("simulate", "-f", file.toString(), "--periods", periods);
      assertEquals(2, run.code(), run.toString());
      assertTrue(run.err().contains("--periods must be between 1 and 100 (got " + periods + ")"), run.toString());
      assertEquals("", run.out(), run.toString());
    }
    assertEquals(0, CliRun.run("simulate", "-f", file.toString(), "--periods", "1").code());
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    CliRun run = CliRun.run("simulate", "-f", missing.toString());
    assertEquals(1, run.code(), run.toString());
    assertEquals("error: the path \"" + missing + "\" does not exist", run.err().strip(), run.toString());
  }

  @Test
  void aDirectoryIsNotReadAsAFile(@TempDir Path dir) {
    CliRun run = CliRun.run("simulate", "-f", dir.toString());
    assertEquals(1, run.code(), run.toString());
    assertTrue(run.err().startsWith("error: cannot read " + dir), run.toString());
  }
}
