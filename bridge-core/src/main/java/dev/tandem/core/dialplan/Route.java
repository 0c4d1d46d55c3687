package dev.tandem.core.dialplan;

import dev.tandem.core.sip.Destination;

/** Where a dialled string goes: the destination and the Request-URI of the INVITE. */
public record Route(DialRule rule, Destination destination, String requestUri) {}
