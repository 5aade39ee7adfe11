package io.hookwire.core;

/**
 * Where a payload is on its way to the receiver. {@code pending → in_flight → delivered | pending |
 * failed}; {@code held} while its webhook is disabled.
 */
public enum PayloadState {
  /** Due at its {@code due_at}: new, or waiting for its next retry. */
  pending,
  /** Leased by a node until its {@code due_at}; due again if that node dies. */
  in_flight,
  /** Waiting for its disabled webhook to be enabled. */
  held,
  delivered,
  /** Abandoned after the retry schedule was used up; {@code resend} brings it back. */
  failed
}
