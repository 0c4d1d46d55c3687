/**
 * Configuration vocabulary shared by every module.
 *
 * <p>Each module describes its own section as an immutable record (for example the SIP adapter's
 * {@code SipSettings}); the annotations here state the rules a value must follow, and {@link
 * dev.tandem.core.config.SelfChecking} states rules that span several keys. The loader in {@code
 * bridge-app} reads YAML, environment variables and {@code --set} overrides, applies these rules
 * and reports every problem with its path, so no module needs to know where its values came from.
 */
package dev.tandem.core.config;
