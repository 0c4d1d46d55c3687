/**
 * The STUN/TURN servers each browser is given, with time-limited TURN credentials in the TURN REST
 * API form that coturn's {@code use-auth-secret} accepts (draft-uberti-behave-turn-rest).
 */
package dev.tandem.ws.ice;
