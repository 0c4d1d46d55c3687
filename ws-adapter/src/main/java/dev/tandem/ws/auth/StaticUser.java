package dev.tandem.ws.auth;

import dev.tandem.core.config.NotBlank;

/** A development user from the configuration. */
public record StaticUser(@NotBlank String password) {
  @Override
  public String toString() {
    return "StaticUser[password=***]";
  }
}
