/**
 * Loading the configuration: the defaults (each section's {@code defaults()}), then the YAML file,
 * then {@code TANDEM_*} environment variables, then {@code --set key=value}; then binding the
 * result onto typed records, reporting every problem with its path ({@code sip.listen[1].port: must
 * be 1..65535}) rather than stopping at the first.
 *
 * <p>Keys are the record components' names in kebab case ({@code maxMessageSize} is {@code
 * max-message-size}); an environment variable is the path in upper case with {@code _} between
 * parts ({@code TANDEM_SIP_LISTEN_0_PORT}), resolved against the records so that multi-word keys
 * need no escaping.
 */
package dev.tandem.app.config;
