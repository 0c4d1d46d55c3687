package dev.tandem.core.inbound;

import java.util.Objects;

/**
 * Which side an inbound call came from, as the trust rule ({@link InboundPolicy}) found it; kept on
 * the call and deciding what a REFER from that side may reach.
 */
public sealed interface CallOrigin {
  /** What logs and the call say: {@code destination carrier}, {@code phone 1001}, ... */
  String describe();

  /** From a trusted source of a routing destination (a trunk, a PBX). */
  record Destination(String name) implements CallOrigin {
    public Destination {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String describe() {
      return "destination " + name;
    }
  }

  /**
   * From a phone of the registrar: sent from where one of its bindings registered from, or proved
   * by digest (the INVITE's From is the account).
   */
  record Phone(String account, boolean authenticated) implements CallOrigin {
    public Phone {
      Objects.requireNonNull(account, "account");
    }

    @Override
    public String describe() {
      return "phone " + account + (authenticated ? " (digest)" : " (registered address)");
    }
  }

  /**
   * Not a caller: the peer a browser user called (a destination, a registered phone). The user
   * chose it, so a REFER from it reaches what the user may dial (the dial plan and permissions
   * decide).
   */
  record Dialled(String destination) implements CallOrigin {
    public Dialled {
      Objects.requireNonNull(destination, "destination");
    }

    @Override
    public String describe() {
      return "dialled " + destination;
    }
  }

  /** From anywhere else, let in because {@code routing.inbound.allow-any-source} is on. */
  record Untrusted(String source) implements CallOrigin {
    @Override
    public String describe() {
      return "untrusted " + source + " (allow-any-source)";
    }
  }

  /**
   * No trust rule was applied ({@link InboundPolicy#UNCHECKED}: core alone, without the bridge's
   * configuration): a REFER reaches what the callee may dial, as before trusted sources existed.
   */
  record Unchecked() implements CallOrigin {
    @Override
    public String describe() {
      return "unchecked";
    }
  }
}
