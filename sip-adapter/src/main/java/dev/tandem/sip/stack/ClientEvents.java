package dev.tandem.sip.stack;

import gov.nist.javax.sip.DialogTimeoutEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/** Where the dispatcher sends what is not a new request: responses and timeouts of our requests. */
public interface ClientEvents {
  void response(ResponseEvent event);

  void timeout(TimeoutEvent event);

  void dialogTimeout(DialogTimeoutEvent event);

  /** Drops responses and timeouts (a stack that sends no requests of its own). */
  ClientEvents NONE =
      new ClientEvents() {
        @Override
        public void response(ResponseEvent event) {}

        @Override
        public void timeout(TimeoutEvent event) {}

        @Override
        public void dialogTimeout(DialogTimeoutEvent event) {}
      };
}
