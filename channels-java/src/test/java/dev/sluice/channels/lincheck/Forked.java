package dev.sluice.channels.lincheck;

import java.util.concurrent.Callable;

/**
 * A body run in a thread of its own inside a {@link
 * org.jetbrains.lincheck.Lincheck#runConcurrentTest} block, whose outcome the block collects with
 * {@link #join()}: its value, or what it threw, rethrown in the joining thread so that Lincheck
 * reports it with the interleaving.
 *
 * <p>The thread runs this object rather than a lambda: Lincheck's trace cannot read the captured
 * fields of lambda classes and warns about each. (Nor is it a subclass of {@link Thread} that
 * overrides {@code run}: Lincheck 3.7 then does not see the thread start, and the test hangs.)
 *
 * @param <T> the body's result type
 */
final class Forked<T> implements Runnable {
  private final Thread thread = new Thread(this);
  private final Callable<T> body;
  private T value;
  private Throwable failure;

  private Forked(Callable<T> body) {
    this.body = body;
  }

  /** Starts {@code body} in a new thread. */
  static <T> Forked<T> start(Callable<T> body) {
    Forked<T> f = new Forked<>(body);
    f.thread.start();
    return f;
  }

  @Override
  public void run() {
    try {
      value = body.call();
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** Interrupts the body's thread. */
  void interrupt() {
    thread.interrupt();
  }

  /**
   * Waits for the body to end, and returns its value or rethrows what it threw.
   *
   * @return the body's value
   */
  T result() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new AssertionError("interrupted while joining", e);
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new AssertionError("the forked body threw", failure);
    }
    return value;
  }
}
