/**
 * The B2BUA: SIP legs of browser calls. {@link dev.tandem.sip.call.SipCalls} places INVITEs for
 * core and hands INVITEs from SIP peers to core; each leg is one dialog.
 */
package dev.tandem.sip.call;
