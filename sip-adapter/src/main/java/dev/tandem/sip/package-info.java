/**
 * The SIP side of the bridge, on JAIN-SIP. This package holds the adapter's configuration; the
 * stack and the handling of each kind of request live in sub-packages named after what they do.
 * Nothing of JAIN-SIP leaves this module.
 */
package dev.tandem.sip;
