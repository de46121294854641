package io.macp.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl macp}: the MACP issuer operator's kubectl plugin. kubectl runs the executable
 * {@code kubectl-macp} found on the PATH with the words after {@code macp}; the plugin reads the
 * kubeconfig the way kubectl does (KUBECONFIG, {@code --kubeconfig}, {@code --context},
 * {@code -n}). Exit codes: 0 done, 1 the cluster or the issuer said no, 2 bad usage.
 */
@Command(
    name = "kubectl macp",
    mixinStandardHelpOptions = true,
    version = "kubectl-macp 0.1.0",
    description = "Inspect and operate MACP issuers (MacpIssuer resources).",
    subcommands = {
      StatusCommand.class,
      TimelineCommand.class,
      RotateCommand.class,
      RevokeCommand.class,
      ExplainTokenCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MacpCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. kubectl macp status");
  }

  /** The command line with its output streams and clock; tests pass their own. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Clock clock) {
    return commandLine(out, err, clock,
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  /** As above, with the input a confirmation is read from. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Clock clock, BufferedReader in) {
    CommandLine cli = new CommandLine(new MacpCli(), new ClockFactory(clock, in));
    cli.setOut(out);
    cli.setErr(err);
    // RFC 7638 kids are base64url and may start with '-': an argument that is no known option is
    // a positional one (and `--` ends the options for a kid like "-n…")
    cli.setUnmatchedOptionsArePositionalParams(true);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("error: " + CliErrors.message(e));
      line.getErr().flush();
      return 1;
    });
    return cli;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = commandLine(out, err, Clock.systemUTC()).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Gives every command the same clock (a virtual one in tests). */
  static final class ClockFactory implements CommandLine.IFactory {
    private final Clock clock;
    private final BufferedReader in;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    ClockFactory(Clock clock, BufferedReader in) {
      this.clock = clock;
      this.in = in;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K created = fallback.create(cls);
      if (created instanceof MacpCommand c) {
        c.clock = clock;
        c.in = in;
      }
      return created;
    }
  }
}
