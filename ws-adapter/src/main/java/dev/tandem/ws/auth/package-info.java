/**
 * Who a browser is: a signed JWT ({@code sub} = the user; HS256 or EdDSA) or, for development, a
 * static user and password from the configuration. {@link dev.tandem.ws.auth.Authenticator} is the
 * one place that decides.
 */
package dev.tandem.ws.auth;
