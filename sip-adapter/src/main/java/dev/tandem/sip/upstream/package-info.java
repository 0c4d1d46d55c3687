/**
 * Upstream mode: the bridge REGISTERs each connected browser user to the user's PBX with
 * credentials kept on the server, so that the PBX's calls for that extension ring the browser.
 */
package dev.tandem.sip.upstream;
