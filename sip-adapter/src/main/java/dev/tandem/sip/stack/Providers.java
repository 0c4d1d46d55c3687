package dev.tandem.sip.stack;

import dev.tandem.core.sip.Destination;
import dev.tandem.sip.SipTransport;
import java.util.Optional;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;

/** The stack's providers by transport, and what a leg needs from them. */
public interface Providers {
  /** The provider listening on {@code transport}, if the bridge listens on it. */
  Optional<SipProvider> provider(SipTransport transport);

  /** The provider that reaches {@code destination} over its transport. */
  default Optional<SipProvider> provider(Destination destination) {
    return provider(SipTransport.of(destination.transport()));
  }

  /** Runs work on the one thread that sends for calls, in order (core must not wait for I/O). */
  void send(Runnable work);

  /** Runs work on the same thread after {@code delay} (DTMF digits paced one after another). */
  void sendLater(java.time.Duration delay, Runnable work);

  /** The addresses written toward peers (Via, Contact, Call-ID) for each listen point. */
  Advertised advertised();

  /** The digest helper answering 401/407 challenges. */
  DigestAuth digest();

  static ListeningPoint listeningPoint(SipProvider provider) {
    return provider.getListeningPoints()[0];
  }
}
