package dev.tandem.app;

import dev.tandem.app.cli.TandemCommand;

/** The entry point of {@code tandem.jar} and {@code bin/tandem}. */
public final class Tandem {
  private Tandem() {}

  public static void main(String[] args) {
    System.exit(TandemCommand.execute(args, System.getenv()));
  }
}
