package dev.keelson.cli;

import dev.keelson.cli.history.HistoryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keelson} command. */
@Command(
    name = "keelson",
    mixinStandardHelpOptions = true,
    versionProvider = Keelson.Version.class,
    description = "A Kubernetes-style control plane whose only database is a Kafka log.",
    subcommands = {
      UpCommand.class,
      AgentCommand.class,
      ProxyCommand.class,
      ReconcilersCommand.Controllers.class,
      ReconcilersCommand.Scheduler.class,
      HistoryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Keelson {

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Keelson());
    // Bad input gets one line and a non-zero exit, never a stack trace.
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          cl.getErr().println("keelson: " + CliErrors.describe(e));
          return 1;
        });
    System.exit(commandLine.execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Keelson.class.getPackage().getImplementationVersion();
      return new String[] {"keelson " + (version == null ? "(development)" : version)};
    }
  }
}
