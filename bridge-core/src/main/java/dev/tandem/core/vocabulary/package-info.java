/**
 * The words every part of core shares, so that its packages need not import each other: a call's id
 * ({@link dev.tandem.core.vocabulary.CallId}), why a call ended ({@link
 * dev.tandem.core.vocabulary.EndReason}) and why a request was refused ({@link
 * dev.tandem.core.vocabulary.Refusal}). Values only, no behaviour beyond their own validation.
 */
package dev.tandem.core.vocabulary;
