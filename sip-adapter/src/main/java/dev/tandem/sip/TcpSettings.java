package dev.tandem.sip;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import java.time.Duration;

/**
 * The {@code sip.tcp} section: how many SIP TCP connections the bridge accepts and how long it
 * keeps one that sends nothing, or only part of a message. Connections the bridge opens itself (to
 * trunks, to phones) are not counted against the caps. TLS listen points only take {@code
 * maxConnections} (JAIN-SIP's blocking TLS processor stops accepting at it).
 *
 * @param maxConnections accepted connections open at once, all sources and listen points together;
 *     a connection beyond it is closed at once
 * @param maxConnectionsPerSource accepted connections open at once from one IP address
 * @param idleTimeout a connection that has received nothing for this long is closed (phones that
 *     keep a TCP registration send CRLF keepalives, RFC 5626 §4.4.1, or re-register sooner)
 * @param messageTimeout a message whose first byte arrived this long ago and that is still not
 *     complete (slow senders) gets its connection closed
 */
public record TcpSettings(
    @Range(min = 1, max = 100_000) int maxConnections,
    @Range(min = 1, max = 100_000) int maxConnectionsPerSource,
    @DurationRange(minMillis = 100, maxMillis = 86_400_000) Duration idleTimeout,
    @DurationRange(minMillis = 100, maxMillis = 3_600_000) Duration messageTimeout) {

  /** 1024 connections, 32 per source, 15 min idle, 10 s per message. */
  public static TcpSettings defaults() {
    return new TcpSettings(1024, 32, Duration.ofMinutes(15), Duration.ofSeconds(10));
  }
}
