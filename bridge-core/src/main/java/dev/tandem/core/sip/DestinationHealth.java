package dev.tandem.core.sip;

/** Whether a SIP destination answers its keepalive (OPTIONS); unknown ones count as up. */
public interface DestinationHealth {
  DestinationHealth ALL_UP = destination -> true;

  boolean isUp(String destination);
}
