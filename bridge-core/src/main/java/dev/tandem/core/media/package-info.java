/** The media port: how a browser ⇄ SIP call's audio is relayed, whoever relays it. */
package dev.tandem.core.media;
