package io.macp.cli;

import java.io.BufferedReader;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code kubectl macp} command has: its picocli spec (for its output streams), the
 * clock it reads (a virtual one in tests) and the input a confirmation is read from, both set by
 * {@link MacpCli}'s factory.
 */
abstract class MacpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  Clock clock = Clock.systemUTC();
  BufferedReader in;
}
