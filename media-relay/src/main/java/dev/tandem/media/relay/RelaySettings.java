package dev.tandem.media.relay;

import dev.tandem.sdp.translate.TranslationOptions;

/**
 * Where the embedded relay listens and what it announces.
 *
 * @param bindAddress the local address its sockets bind to
 * @param advertisedAddress the address put in SDP (a public one behind NAT), often the same
 * @param portMin first UDP port of the relay's range
 * @param portMax last UDP port of the range
 */
public record RelaySettings(
    String bindAddress,
    String advertisedAddress,
    int portMin,
    int portMax,
    TranslationOptions translation) {}
