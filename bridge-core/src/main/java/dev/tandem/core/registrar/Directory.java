package dev.tandem.core.registrar;

import dev.tandem.core.sip.SipTarget;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** What routing asks of the registrar: is a dialled string a SIP account, and where is it. */
public interface Directory {
  /** No accounts: the bridge is not a registrar. */
  Directory NONE =
      new Directory() {
        @Override
        public Optional<String> account(String dialled) {
          return Optional.empty();
        }

        @Override
        public List<Binding> bindings(String account) {
          return List.of();
        }

        @Override
        public Optional<String> registeredFrom(InetAddress source) {
          return Optional.empty();
        }
      };

  /** The account a dialled name or extension stands for. */
  Optional<String> account(String dialled);

  /** The account's live bindings, oldest first; empty when it is not registered. */
  List<Binding> bindings(String account);

  /**
   * The account one of whose live bindings registered from {@code source}: a request from there
   * comes from a registered phone (the trust rule of inbound calls).
   */
  Optional<String> registeredFrom(InetAddress source);

  /** Where a call to the account goes: one INVITE target per live binding. */
  default List<SipTarget> targets(String account) {
    return bindings(account).stream().map(Binding::target).toList();
  }
}
