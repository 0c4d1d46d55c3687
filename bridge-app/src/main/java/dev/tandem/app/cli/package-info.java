/**
 * The {@code tandem} command line (picocli): {@code run}, {@code config check|show}, {@code
 * version}, {@code sdp}. Errors print one line, {@code error: ...}, and exit 1; {@code --debug}
 * adds the stack trace.
 */
package dev.tandem.app.cli;
