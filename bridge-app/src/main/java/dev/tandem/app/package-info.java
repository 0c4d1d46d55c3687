/**
 * The {@code tandem} program: the bridge's wiring ({@link dev.tandem.app.Bridge}) and its entry
 * point. Sub-packages hold the command line and the configuration loader.
 */
package dev.tandem.app;
