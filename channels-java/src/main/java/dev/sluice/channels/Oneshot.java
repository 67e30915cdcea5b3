/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import dev.sluice.channels.internal.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A channel for one value, sent once and received once: the reply slot of a request, as in the
 * actor pattern, where the requester waits on a {@code Oneshot} it sent along with its request.
 *
 * <p>The sending side has two ways to finish: {@link #send(Object)} the value (which never waits),
 * or {@link #close()} without one, when it went away. The receiving side is a {@link Receiver} with
 * every face of one: blocking, timed and try receives, {@link #receiveAsync()}, a {@link Select}
 * clause, and, from Kotlin, a suspending receive ({@code dev.sluice.coroutines}). It tells the
 * three states apart:
 *
 * <ul>
 *   <li><b>the value came</b>: a receive returns it;
 *   <li><b>the sender went away without sending</b>: a receive throws {@link
 *       ChannelClosedException}, whose cause is the one given to {@link #close(Throwable)}, if any;
 *   <li><b>still waiting</b>: {@link #tryReceive()} returns {@code null}, a timed receive times
 *       out.
 * </ul>
 *
 * Once the value was received, the oneshot is closed and drained: a second receive throws {@link
 * ChannelClosedException}. A second {@code send} throws {@link IllegalStateException}.
 *
 * <p>{@link #cancel()} is the receiver going away: a later {@code send} fails with {@link
 * ChannelClosedException}, and a value sent before it is handed to the undelivered-value handler
 * ({@link #create(Consumer)}), if there is one.
 *
 * <p>A oneshot is the engine of a {@link Channel} bounded to one element, whose send also closes it
 * in the same step: every operation is one atomic step of that engine, and it shares the engine's
 * waiter machinery, so every face and every select works on it as on a channel, with the same
 * guarantees (nothing lost, nothing received twice, whatever is interrupted, timed out or
 * cancelled).
 *
 * <p>Actions in a thread before it sends the value happen-before the actions that follow its
 * receipt in another thread.
 *
 * @param <E> the type of the value, never {@code null}
 */
public final class Oneshot<E> implements Receiver<E> {
  static {
    Engines.register(Oneshot.class, o -> ((Oneshot<?>) o).engine);
  }

  /**
   * The channel that holds the value. The oneshot's state is the engine's: open (waiting), closed
   * by the send (the value is held, or was received), closed by {@code close}, or cancelled. Each
   * operation below is one step of the engine, under its lock.
   */
  private final BufferedChannel<E> engine;

  private Oneshot(@Nullable Consumer<? super E> onUndelivered) {
    this.engine = new BufferedChannel<>(1, BufferOverflow.SUSPEND, onUndelivered);
  }

  /**
   * Creates a oneshot waiting for its value.
   *
   * @param <E> the type of the value
   * @return a new oneshot
   */
  public static <E> Oneshot<E> create() {
    return new Oneshot<>(null);
  }

  /**
   * Creates a oneshot waiting for its value, with a handler for a value that will never be
   * received: one sent before the receiver {@linkplain #cancel() cancelled}. It runs once, in the
   * thread whose call made the value undeliverable.
   *
   * @param onUndelivered the handler of a value that will never be received
   * @param <E> the type of the value
   * @return a new oneshot
   * @throws NullPointerException if {@code onUndelivered} is null
   */
  public static <E> Oneshot<E> create(Consumer<? super E> onUndelivered) {
    return new Oneshot<>(Objects.requireNonNull(onUndelivered, "onUndelivered"));
  }

  // ---------------------------------------------------------------------------------------------
  // The sending side.

  /**
   * Sends the value, once. Never waits: the oneshot holds the value until the receiver takes it.
   *
   * @param value the value
   * @throws IllegalStateException if a value was sent before (the one given here was not sent)
   * @throws ChannelClosedException if the sending side {@linkplain #close() closed} before, or the
   *     receiver {@linkplain #cancel() cancelled}; the value was not sent
   * @throws NullPointerException if {@code value} is null
   */
  public void send(E value) {
    Objects.requireNonNull(value, "value");
    switch (engine.sendAndClose(value)) {
      case Outcome.SENT:
        return;
      case Outcome.CLOSED:
        if (engine.isClosedBySend()) {
          throw new IllegalStateException("this oneshot's value was sent already");
        }
        throw new ChannelClosedException(
            "oneshot is closed: its sending side closed it, or its receiver cancelled",
            engine.closeCauseOrNull());
      default:
        // Open means no value was sent, so the buffer of one is empty.
        throw new AssertionError("an open oneshot had no room for its value");
    }
  }

  /**
   * The sending side goes away without sending: a receiver that waits, or comes later, gets a
   * {@link ChannelClosedException} without a cause.
   *
   * @return {@code true} if this call closed the oneshot; {@code false} if a value was sent, or it
   *     was closed or cancelled before
   */
  public boolean close() {
    return engine.close();
  }

  /**
   * The sending side goes away without sending, saying why: a receiver that waits, or comes later,
   * gets a {@link ChannelClosedException} whose cause is {@code cause}. An actor may answer a
   * request it failed this way.
   *
   * @param cause why no value will come
   * @return {@code true} if this call closed the oneshot; {@code false} if a value was sent, or it
   *     was closed or cancelled before
   * @throws NullPointerException if {@code cause} is null
   */
  public boolean close(Throwable cause) {
    return engine.close(cause);
  }

  /**
   * Whether a send would fail now: a value was sent, the sending side closed, or the receiver
   * cancelled. A sender may check it to skip work whose result nobody will receive.
   *
   * @return {@code true} if no value can be sent any more
   */
  public boolean isClosedForSend() {
    return engine.isClosedForSend();
  }

  // ---------------------------------------------------------------------------------------------
  // The receiving side.

  /**
   * Waits for the value and takes it.
   *
   * @return the value
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the sending side closed without sending, the receiver
   *     cancelled, or the value was received before
   */
  @Override
  public E receive() throws InterruptedException {
    return engine.receive();
  }

  /**
   * Waits at most {@code timeout} for the value and takes it.
   *
   * @param timeout how long to wait at most
   * @return the value, or {@code null} if it did not come in time
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException as {@link #receive()}
   * @throws NullPointerException if {@code timeout} is null
   */
  @Override
  public @Nullable E receive(Duration timeout) throws InterruptedException {
    return engine.receive(timeout);
  }

  /**
   * Takes the value if it is there, without waiting.
   *
   * @return the value, or {@code null} while it has not come
   * @throws ChannelClosedException as {@link #receive()}
   */
  @Override
  public @Nullable E tryReceive() {
    return engine.tryReceive();
  }

  /**
   * A future of the value, completed exceptionally with {@link ChannelClosedException} as {@link
   * #receive()} throws it. Cancelling the future withdraws the receive: when the cancellation
   * reports a change, the value (if it comes) stays in the oneshot for another receive. Dependent
   * actions run in the completing thread, often the sender's.
   *
   * @return a future of the value
   */
  @Override
  public CompletableFuture<E> receiveAsync() {
    return engine.receiveAsync();
  }

  /**
   * Waits for the value and adds it to {@code into}: a batch of one, as {@link
   * Receiver#receiveMany(Collection, int)} describes. If {@code into} refuses it, the value stays
   * in the oneshot for another receive.
   *
   * @param into where the value goes
   * @param max at least 1; a oneshot's batch holds one value whatever it is
   * @return 1
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException as {@link #receive()}
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  @Override
  public int receiveMany(Collection<? super E> into, int max) throws InterruptedException {
    return engine.receiveMany(into, max);
  }

  /**
   * Waits at most {@code timeout} for the value and adds it to {@code into}, as {@link
   * #receiveMany(Collection, int)} does.
   *
   * @param into where the value goes
   * @param max at least 1
   * @param timeout how long to wait at most
   * @return 1, or 0 if the value did not come in time
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException as {@link #receive()}
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} or {@code timeout} is null
   */
  @Override
  public int receiveMany(Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException {
    return engine.receiveMany(into, max, timeout);
  }

  /**
   * Adds the value to {@code into} if it is there, without waiting.
   *
   * @param into where the value goes
   * @param max at least 1
   * @return 1, or 0 while the value has not come
   * @throws ChannelClosedException as {@link #receive()}
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  @Override
  public int tryReceiveMany(Collection<? super E> into, int max) {
    return engine.tryReceiveMany(into, max);
  }

  /**
   * A future of a list holding the value, as {@link #receiveAsync()} is a future of the value.
   *
   * @param max at least 1
   * @return a future of a one-element list
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  @Override
  public CompletableFuture<List<E>> receiveManyAsync(int max) {
    return engine.receiveManyAsync(max);
  }

  /**
   * A {@link Select} clause that takes the value once it is there, then returns the result of
   * {@code then}. If the select chooses another clause, the value stays in the oneshot. If the
   * sending side closed without a value, choosing this clause makes the select fail with {@link
   * ChannelClosedException}.
   *
   * @param then computes the select's result from the value
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  @Override
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    return engine.onReceive(then);
  }

  /**
   * The receiver goes away: a later {@link #send(Object)} fails, and a value that was sent and not
   * received goes to the undelivered-value handler. Receives fail from now on.
   */
  @Override
  public void cancel() {
    engine.cancel();
  }

  /**
   * Whether every receive fails now: the value was received, or the sending side closed without
   * one, or the receiver cancelled.
   *
   * @return {@code true} if no value will be received any more
   */
  @Override
  public boolean isClosedForReceive() {
    return engine.isClosedForReceive();
  }

  /**
   * Whether a receive would find no value now: it has not come, or it was taken.
   *
   * @return {@code true} if no value is held now
   */
  @Override
  public boolean isEmpty() {
    return engine.isEmpty();
  }

  /**
   * The values held now: 1 between the send and the receipt, else 0.
   *
   * @return 0 or 1
   */
  @Override
  public int size() {
    return engine.size();
  }

  /**
   * An iterator over the value: {@code hasNext} waits for it, then the iteration ends. If the
   * sending side closed without a value, it ends at once, or throws {@link ChannelClosedException}
   * if the close gave a cause. Waiting and interrupts are as for {@link Receiver#iterator()}.
   *
   * @return an iterator over at most one value
   */
  @Override
  public Iterator<E> iterator() {
    return engine.iterator();
  }

  /**
   * A stream of at most one value, which waits for it as {@link Receiver#stream()} does.
   *
   * @return a stream of the value
   */
  @Override
  public Stream<E> stream() {
    return engine.stream();
  }

  /**
   * A snapshot for debugging: whether the value is still awaited, was sent (and is still held, or
   * was since received or dropped), or the oneshot was closed without one. Its format may change.
   *
   * @return a description of this oneshot's state
   */
  @Override
  public String toString() {
    String state;
    if (!engine.isClosedForSend()) {
      state = "waiting";
    } else if (engine.isClosedBySend()) {
      state = engine.isEmpty() ? "value received, or dropped by cancel" : "value sent";
    } else {
      state = "closed without a value";
    }
    return "Oneshot[" + state + "]";
  }
}
