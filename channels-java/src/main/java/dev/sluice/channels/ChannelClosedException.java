/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an operation on a channel that is closed for it: a send after {@link Sender#close()},
 * or a receive once the channel is closed and every buffered element has been received.
 *
 * <p>{@link #getCause()} returns the cause the channel was first closed with: the one given to
 * {@link Sender#close(Throwable)}, a {@link java.util.concurrent.CancellationException} if {@link
 * Receiver#cancel()} closed it, or {@code null} after a plain {@link Sender#close()}.
 *
 * <p>An operation that fails with this exception had no effect: a send that throws it did not send
 * its element, and a receive that throws it took no element.
 */
public class ChannelClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a channel closed with the given cause.
   *
   * @param message the detail message
   * @param cause the cause given to {@link Sender#close(Throwable)}, or {@code null} for a plain
   *     close
   */
  public ChannelClosedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
