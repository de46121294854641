package io.macp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * RFC 7638 kids are base64url, so one in 64 starts with '-'. Such a kid must reach the command as
 * the KID argument, not be refused as an unknown option (found as a flaky KubectlMacpTest run).
 */
class RevokeArgumentsTest {
  private static RevokeCommand parse(String... args) {
    StringWriter sink = new StringWriter();
    CommandLine cli = MacpCli.commandLine(new PrintWriter(sink), new PrintWriter(sink), Clock.systemUTC());
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    return (RevokeCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void aKidStartingWithADashIsTheKidArgument() {
    RevokeCommand cmd = parse("revoke", "fast", "-Qx9_abcDEF", "--yes");
    assertThat(cmd.name).isEqualTo("fast");
    assertThat(cmd.kid).isEqualTo("-Qx9_abcDEF");
  }

  @Test
  void doubleDashEndsTheOptionsForAKidThatLooksLikeOne() {
    RevokeCommand cmd = parse("revoke", "--yes", "fast", "--", "-nX1");
    assertThat(cmd.kid).isEqualTo("-nX1");
  }
}
