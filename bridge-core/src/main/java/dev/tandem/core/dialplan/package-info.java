/** The dial plan: which dialled strings go to which SIP destination, and who may dial them. */
package dev.tandem.core.dialplan;
