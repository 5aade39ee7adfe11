package io.hookwire.cli;

import io.hookwire.Hookwire;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "hookwire",
    mixinStandardHelpOptions = true,
    version = "Hookwire " + Hookwire.VERSION,
    description = "Self-hosted webhook delivery with an Oktopost-compatible API.",
    subcommands = {
      ServeCommand.class,
      AccountCommand.class,
      MigrateCommand.class,
      BackupCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, answering refusals with their message and exit code 2. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException
              || e instanceof IllegalStateException
              || e instanceof UnsupportedOperationException) {
            commandLine.getErr().println("hookwire: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli;
  }
}
