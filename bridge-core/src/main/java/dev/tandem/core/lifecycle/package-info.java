/** Starting and stopping the bridge's parts: the errors a start can end in. */
package dev.tandem.core.lifecycle;
