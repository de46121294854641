package io.macp.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;

/** Runs the plugin in-process, as kubectl would run kubectl-macp, and keeps what it printed. */
record CliRun(int code, String out, String err) {
  static CliRun run(Clock clock, String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MacpCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), clock,
        new BufferedReader(new StringReader(input))).execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  static CliRun run(String... args) {
    return run(Clock.systemUTC(), "", args);
  }

  @Override
  public String toString() {
    return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
