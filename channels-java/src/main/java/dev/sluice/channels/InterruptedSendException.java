/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * Thrown by {@link Sender#sendAll(Iterable)} when the thread is interrupted part-way: the first
 * {@link #sent()} elements were sent, in order, and the rest were not. Like every {@link
 * InterruptedException}, it is thrown with the thread's interrupt status cleared.
 */
public class InterruptedSendException extends InterruptedException {
  private static final long serialVersionUID = 1L;

  /** How many elements were sent before the interrupt. */
  private final int sent;

  /**
   * Creates the exception.
   *
   * @param sent how many elements were sent before the interrupt
   */
  public InterruptedSendException(int sent) {
    super("interrupted after sending " + sent + " elements");
    this.sent = sent;
  }

  /**
   * How many elements were sent before the interrupt: the first ones of the iteration, in order.
   * The element after them, and every later one, was not sent.
   *
   * @return the count, 0 or more
   */
  public int sent() {
    return sent;
  }
}
