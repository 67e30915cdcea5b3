package dev.sluice.channels;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an operation on a channel that is closed for it: a send after {@link Sender#close()}, or a
 * receive once the channel is closed and every buffered element has been received.
 *
 * <p>When the channel was closed with {@link Sender#close(Throwable)}, {@link #getCause()} returns that
 * cause; after {@link Receiver#cancel()} it returns a {@link java.util.concurrent.CancellationException};
 * after a plain {@link Sender#close()} it returns {@code null}.
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
   * @param cause the cause given to {@link Sender#close(Throwable)}, or {@code null} for a plain close
   */
  public ChannelClosedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
