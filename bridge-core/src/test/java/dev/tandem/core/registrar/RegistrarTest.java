package dev.tandem.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.registrar.RegisterRequest.ContactUpdate;
import dev.tandem.core.sip.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RegistrarTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
  private final Registrar registrar =
      new Registrar(
          List.of(
              new Registrar.Account("alice", Optional.of("1001")),
              new Registrar.Account("bob", Optional.empty())),
          2,
          now::get);

  private static RegisterRequest register(String callId, long cseq, ContactUpdate... contacts) {
    return new RegisterRequest(
        callId, cseq, false, List.of(contacts), Destination.Transport.UDP, "127.0.0.9", 5099);
  }

  private static ContactUpdate contact(String uri, int seconds) {
    return new ContactUpdate(uri, Duration.ofSeconds(seconds));
  }

  @Test
  void accountsAreFoundByNameAndExtensionOnly() {
    assertEquals(Optional.of("alice"), registrar.account("1001"));
    assertEquals(Optional.of("alice"), registrar.account("Alice"));
    assertEquals(Optional.of("bob"), registrar.account(" bob "));
    assertEquals(Optional.empty(), registrar.account("carol"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Registrar(
                List.of(
                    new Registrar.Account("a", Optional.of("1")),
                    new Registrar.Account("b", Optional.of("1"))),
                1,
                now::get));
  }

  @Test
  void aBindingIsAddedRefreshedAndExpires() {
    registrar.register("alice", register("c1", 1, contact("sip:alice@10.0.0.1:5060", 60)));
    List<Binding> bindings = registrar.bindings("alice");
    assertEquals(1, bindings.size());
    Binding b = bindings.get(0);
    assertEquals("127.0.0.9", b.sourceHost());
    assertEquals(5099, b.sourcePort());
    assertEquals("sip:alice@10.0.0.1:5060", b.target().requestUri());
    assertEquals("127.0.0.9", b.target().destination().host());
    assertEquals(60, b.secondsLeft(now.get()));

    now.set(now.get().plusSeconds(50));
    registrar.register("alice", register("c1", 2, contact("sip:alice@10.0.0.1:5060", 60)));
    assertEquals(60, registrar.bindings("alice").get(0).secondsLeft(now.get()));

    now.set(now.get().plusSeconds(60));
    assertTrue(registrar.bindings("alice").isEmpty(), "expired at 60 s");
  }

  @Test
  void countsLiveBindingsOfEveryAccount() {
    registrar.register("alice", register("c1", 1, contact("sip:alice@10.0.0.1:5060", 60)));
    registrar.register("alice", register("c2", 1, contact("sip:alice@10.0.0.2:5060", 120)));
    registrar.register("bob", register("c3", 1, contact("sip:bob@10.0.0.3:5060", 60)));
    assertEquals(3, registrar.bindingCount());
    now.set(now.get().plusSeconds(60));
    assertEquals(1, registrar.bindingCount(), "two expired at 60 s");
  }

  @Test
  void expiresZeroRemovesOneContactAndTheWildcardRemovesAll() {
    registrar.register(
        "alice", register("c1", 1, contact("sip:a@1.1.1.1", 60), contact("sip:a@2.2.2.2", 60)));
    registrar.register("alice", register("c1", 2, contact("sip:a@1.1.1.1", 0)));
    assertEquals(
        List.of("sip:a@2.2.2.2"),
        registrar.bindings("alice").stream().map(Binding::contact).toList());
    registrar.register(
        "alice",
        new RegisterRequest("c9", 1, true, List.of(), Destination.Transport.UDP, "127.0.0.9", 1));
    assertTrue(registrar.bindings("alice").isEmpty());
  }

  @Test
  void anOlderOrRepeatedCseqOfTheSameCallIdIsRefusedAndChangesNothing() {
    registrar.register("alice", register("c1", 5, contact("sip:a@1.1.1.1", 60)));
    RegisterResult result =
        registrar.register("alice", register("c1", 5, contact("sip:a@1.1.1.1", 0)));
    assertEquals(500, assertInstanceOf(RegisterResult.Refused.class, result).status());
    assertEquals(1, registrar.bindings("alice").size());
    // another Call-ID (a phone that restarted) may go on with any CSeq
    registrar.register("alice", register("c2", 1, contact("sip:a@1.1.1.1", 0)));
    assertTrue(registrar.bindings("alice").isEmpty());
  }

  @Test
  void moreContactsThanTheLimitAreRefusedWhole() {
    registrar.register(
        "bob", register("c1", 1, contact("sip:b@1.1.1.1", 60), contact("sip:b@2.2.2.2", 60)));
    RegisterResult result =
        registrar.register("bob", register("c2", 1, contact("sip:b@3.3.3.3", 60)));
    assertEquals(403, assertInstanceOf(RegisterResult.Refused.class, result).status());
    assertEquals(2, registrar.bindings("bob").size());
  }

  @Test
  void anUnknownAccountIsNotFound() {
    RegisterResult result = registrar.register("carol", register("c1", 1, contact("sip:c@x", 60)));
    assertEquals(404, assertInstanceOf(RegisterResult.Refused.class, result).status());
  }

  @Test
  void newAccountsReplaceTheOldOnesAndTheRemovedAccountsBindingsGo() {
    registrar.register("alice", register("c1", 1, contact("sip:alice@10.0.0.1:5060", 60)));
    registrar.register("bob", register("c2", 1, contact("sip:bob@10.0.0.2:5060", 60)));

    registrar.accounts(
        List.of(
            new Registrar.Account("alice", Optional.of("1001")),
            new Registrar.Account("carol", Optional.of("1003"))));

    assertEquals(Optional.of("carol"), registrar.account("1003"));
    assertEquals(Optional.empty(), registrar.account("bob"));
    assertEquals(1, registrar.bindings("alice").size());
    assertEquals(List.of("alice"), registrar.allBindings().stream().map(Binding::account).toList());
  }
}
