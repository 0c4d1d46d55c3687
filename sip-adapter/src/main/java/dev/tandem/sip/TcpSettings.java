package dev.tandem.sip;

import dev.tandem.core.config.Range;

/**
 * The {@code sip.tcp} section: how many SIP TCP and TLS connections the bridge accepts at once. TCP
 * and TLS run on JAIN-SIP's blocking processors (two threads per connection), which stop accepting
 * at this cap until one closes; connections the bridge opens itself are not counted.
 *
 * @param maxConnections accepted connections open at once, all sources and listen points together
 */
public record TcpSettings(@Range(min = 1, max = 100_000) int maxConnections) {

  /** 1024 connections. */
  public static TcpSettings defaults() {
    return new TcpSettings(1024);
  }
}
