package dev.tandem.app.cli;

import dev.tandem.app.TandemVersion;
import dev.tandem.app.config.ConfigException;
import dev.tandem.app.config.ConfigProblem;
import dev.tandem.core.lifecycle.StartupException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code tandem} command; holds the options every sub-command shares. */
@Command(
    name = "tandem",
    mixinStandardHelpOptions = true,
    versionProvider = TandemCommand.Version.class,
    description = "Tandem, a SIP <-> WebRTC signaling bridge.",
    subcommands = {
      RunCommand.class,
      ConfigCommand.class,
      SdpCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TandemCommand {
  /** Exit status for configuration problems and failed starts. */
  public static final int EXIT_FAILURE = 1;

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean debug;

  final Map<String, String> environment;
  final InputStream stdin;

  TandemCommand(Map<String, String> environment, InputStream stdin) {
    this.environment = Map.copyOf(environment);
    this.stdin = stdin;
  }

  /** Runs the command line and returns the exit status. */
  public static int execute(String[] args, Map<String, String> environment) {
    return execute(commandLine(environment), args);
  }

  /**
   * Runs {@code args} on {@code commandLine} and flushes what it printed: the caller exits the JVM
   * next, and a command that prints without a final newline ({@code config show}) would otherwise
   * lose its output in the writer's buffer.
   */
  static int execute(CommandLine commandLine, String[] args) {
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  /** The configured command line, with its error handling; tests set out/err on it. */
  public static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, System.in);
  }

  /** The command line reading {@code stdin} where a command reads standard input. */
  public static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
    TandemCommand top = new TandemCommand(environment, stdin);
    CommandLine commandLine = new CommandLine(top, new Factory(top));
    commandLine.setExecutionExceptionHandler(
        (e, cl, parseResult) -> {
          PrintWriter err = cl.getErr();
          if (e instanceof ConfigException config) {
            for (ConfigProblem problem : config.problems()) {
              err.println("error: " + problem);
            }
          } else if (e instanceof StartupException startup) {
            err.println("error: cannot start " + startup.getMessage());
          } else {
            err.println("error: " + StartupException.rootMessage(e));
          }
          if (top.debug) {
            e.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILURE;
        });
    return commandLine;
  }

  /** Gives sub-commands the environment without reading globals. */
  private record Factory(TandemCommand top) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RunCommand.class) {
        return type.cast(new RunCommand(top.environment));
      }
      if (type == ConfigCommand.CheckCommand.class) {
        return type.cast(new ConfigCommand.CheckCommand(top.environment));
      }
      if (type == ConfigCommand.ShowCommand.class) {
        return type.cast(new ConfigCommand.ShowCommand(top.environment));
      }
      if (type == SdpCommand.CheckCommand.class) {
        return type.cast(new SdpCommand.CheckCommand(top.stdin));
      }
      if (type == SdpCommand.ToPlainCommand.class) {
        return type.cast(new SdpCommand.ToPlainCommand(top.stdin));
      }
      if (type == SdpCommand.ToWebRtcCommand.class) {
        return type.cast(new SdpCommand.ToWebRtcCommand(top.stdin));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tandem " + TandemVersion.current()};
    }
  }
}
