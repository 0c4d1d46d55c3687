package dev.tandem.sip.upstream;

import dev.tandem.core.sip.Destination;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who a browser user is at its PBX or registrar: the address of record it registers and calls as,
 * the registration lifetime it asks for, and the digest credentials it answers challenges with —
 * fetched for each challenge, since derived credentials expire ({@link UpstreamTemplate}).
 */
record UpstreamIdentity(
    String aor, Duration lifetime, Supplier<Optional<Destination.DigestCredentials>> credentials) {}
