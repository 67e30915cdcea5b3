/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A sending handle: one owner's share of a channel's sending end. While any sending handle is open
 * the channel stays open for sending (unless something closes it explicitly); when the last one is
 * closed, the channel closes for sending, and its receivers drain what is buffered and then end, as
 * after {@link Sender#close()}. One handle per producer, closed when that producer is done, and no
 * producer has to know which of them finishes last:
 *
 * <pre>{@code
 * try (SenderHandle<Job> tx = jobs.newSender()) {
 *     for (Job job : batch) {
 *         tx.send(job);
 *     }
 * } // the last producer to get here closes the channel
 * }</pre>
 *
 * <p>A handle is cheap (two fields) and is closed once: a second {@link #close()} does nothing.
 * Every other method of a closed handle throws {@link IllegalStateException} and does not touch the
 * channel. The sending methods are those of {@link Sender}, with the same semantics; {@link
 * #asSender()} is a {@link Sender} view for code written against that interface.
 *
 * <p>A handle made from a channel ({@link Channel#newSender()}), from another handle ({@link
 * #newSender()}) or from a {@link WeakSender} at the same moment as the last handle's close is
 * either counted first, and then keeps the channel open, or refused with {@link
 * ChannelClosedException}: there is no moment at which a handle exists for a channel that its
 * handles closed.
 *
 * @param <E> the type of elements
 */
public final class SenderHandle<E> extends OwnedEnd<E> implements AutoCloseable {
  static {
    Engines.register(SenderHandle.class, h -> ((SenderHandle<?>) h).channel);
    Engines.register(HandleSender.class, s -> ((HandleSender<?>) s).handle().channel);
  }

  private SenderHandle(BufferedChannel<E> channel) {
    super(channel, true);
  }

  /**
   * A new sending handle of {@code channel} if another one is open now (a weak sender's upgrade).
   *
   * @return the handle, or {@code null} if none is open
   */
  static <E> @Nullable SenderHandle<E> upgrade(BufferedChannel<E> channel) {
    return channel.handles().acquire(true, true) ? new SenderHandle<>(channel) : null;
  }

  /** A new sending handle of {@code channel}, or {@link ChannelClosedException}. */
  static <E> SenderHandle<E> openOrThrow(Object channel) {
    return new SenderHandle<>(acquire(channel, true));
  }

  /**
   * Sends an element, waiting while the channel is full, as {@link Sender#send(Object)}.
   *
   * @param element the element to send
   * @throws InterruptedException if the thread was interrupted before or while waiting; the element
   *     was not sent
   * @throws ChannelClosedException if the channel is closed, or closes while this send waits
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code element} is null
   */
  public void send(E element) throws InterruptedException {
    open().send(element);
  }

  /**
   * Sends an element, waiting at most {@code timeout}, as {@link Sender#send(Object, Duration)}.
   *
   * @param element the element to send
   * @param timeout how long to wait at most
   * @return {@code true} if it was sent, {@code false} if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this send waits
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code element} or {@code timeout} is null
   */
  public boolean send(E element, Duration timeout) throws InterruptedException {
    return open().send(element, timeout);
  }

  /**
   * Sends an element if the channel can take it now, as {@link Sender#trySend(Object)}.
   *
   * @param element the element to send
   * @return {@code true} if it was sent
   * @throws ChannelClosedException if the channel is closed
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code element} is null
   */
  public boolean trySend(E element) {
    return open().trySend(element);
  }

  /**
   * Sends an element without blocking the caller, as {@link Sender#sendAsync(Object)}.
   *
   * @param element the element to send
   * @return a future completed once the channel took the element
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code element} is null
   */
  public CompletableFuture<Void> sendAsync(E element) {
    return open().sendAsync(element);
  }

  /**
   * Sends every element, in order, as {@link Sender#sendAll(Iterable)}.
   *
   * @param elements the elements to send
   * @return how many were sent
   * @throws InterruptedSendException if the thread was interrupted; it counts what was sent
   * @throws ChannelClosedException if the channel was closed before the first element was sent
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code elements} or one of its elements is null
   */
  public int sendAll(Iterable<? extends E> elements) throws InterruptedException {
    return open().sendAll(elements);
  }

  /**
   * A {@link Select} clause that sends {@code element}, as {@link Sender#onSend(Object, Supplier)}.
   *
   * @param element the element to send
   * @param then computes the select's result once the element was sent
   * @param <R> the select's result type
   * @return the clause
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code element} or {@code then} is null
   */
  public <R> SelectClause<R> onSend(E element, Supplier<? extends R> then) {
    return open().onSend(element, then);
  }

  /**
   * Whether the channel is closed for sending: by its handles, or explicitly.
   *
   * @return {@code true} if every send fails now
   * @throws IllegalStateException if this handle was closed
   */
  public boolean isClosedForSend() {
    return open().isClosedForSend();
  }

  /**
   * A future completed when nothing sent will be received any more: the channel closed for sending
   * (its last sending handle closed, or an explicit close), or was cancelled (its last receiving
   * handle closed, or {@link Receiver#cancel()}), Tokio's {@code Sender::closed}. Completed at once
   * if that happened already. Cancelling or completing it changes nothing else.
   *
   * @return a future of the close
   * @throws IllegalStateException if this handle was closed
   */
  public CompletableFuture<Void> closed() {
    return open().closeSignals().future();
  }

  /**
   * A {@link Select} clause chosen once nothing sent will be received any more, as {@link
   * #closed()} completes: a producer's select can stop when its consumers go away (Tokio's {@code
   * select!} over {@code tx.closed()}). Chosen by every select that waits on it, then or later.
   *
   * <p>Beside an {@link #onSend} of the same channel, in one select, the close fails the select
   * with {@link ChannelClosedException}, as that send would fail: the select learns the same thing
   * by the exception. The clause is for selects that wait on something else meanwhile (a receive
   * from upstream, a timeout).
   *
   * @param then computes the select's result
   * @param <R> the select's result type
   * @return the clause
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code then} is null
   */
  public <R> SelectClause<R> onClosed(Supplier<? extends R> then) {
    Objects.requireNonNull(then, "then");
    return open().closeSignals().clause(then);
  }

  /**
   * Another sending handle of the same channel, counted as one more owner: Tokio's {@code clone}.
   *
   * @return the new handle
   * @throws ChannelClosedException if the channel's sending handles ended (impossible while this
   *     one is open, unless the channel was made without handles and closed explicitly: then the
   *     handle is made, and its sends fail)
   * @throws IllegalStateException if this handle was closed
   */
  public SenderHandle<E> newSender() {
    return openOrThrow(open());
  }

  /**
   * A weak sender of the same channel: it does not keep the channel open, and can be turned into a
   * sending handle while another one is open ({@link WeakSender#upgrade()}).
   *
   * @return the weak sender
   * @throws IllegalStateException if this handle was closed
   */
  public WeakSender<E> downgrade() {
    return new WeakSender<>(open());
  }

  /**
   * This handle as a {@link Sender}, for code written against that interface. Its {@code close()}
   * and {@code close(cause)} close this handle (and return {@code true} if that call closed it);
   * when it was the last one, {@code close(cause)} closes the channel with that cause. Every other
   * method behaves as this handle's.
   *
   * @return the view
   */
  public Sender<E> asSender() {
    return new HandleSender<>(this);
  }

  /**
   * Whether {@code other} is a face of the same channel, as {@link Sender#sameChannel(Object)}.
   *
   * @param other any object
   * @return {@code true} if both are faces of one channel
   */
  public boolean sameChannel(@Nullable Object other) {
    return Engines.sameEngine(channel, other);
  }

  /**
   * Whether this handle was closed.
   *
   * @return {@code true} once {@link #close()} ran
   */
  public boolean isReleased() {
    return released();
  }

  /**
   * Closes this handle; if it was the last open sending handle of the channel, closes the channel
   * for sending (receivers drain, then end). A second call does nothing.
   */
  @Override
  public void close() {
    release(null);
  }

  /**
   * Reserves one place, waiting while there is none; see {@link Sender#reserve()}. The permit does
   * not keep the channel open: once the last sending handle closed, it is void.
   *
   * @return the permit
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public Permit<E> reserve() throws InterruptedException {
    return open().reserve();
  }

  /**
   * Reserves one place, waiting at most {@code timeout}; see {@link Sender#reserve(Duration)}.
   *
   * @param timeout how long to wait at most
   * @return the permit, or {@code null} if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public @Nullable Permit<E> reserve(Duration timeout) throws InterruptedException {
    return open().reserve(timeout);
  }

  /**
   * Reserves one place if one is free now; see {@link Sender#tryReserve()}.
   *
   * @return the permit, or {@code null} if the buffer is full now
   * @throws ChannelClosedException if the channel is closed
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public @Nullable Permit<E> tryReserve() {
    return open().tryReserve();
  }

  /**
   * Reserves one place without blocking the caller; see {@link Sender#reserveAsync()}.
   *
   * @return a future of the permit
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public CompletableFuture<Permit<E>> reserveAsync() {
    return open().reserveAsync();
  }

  /**
   * A select clause that reserves one place; see {@link Sender#onReserve(Function)}.
   *
   * @param then computes the select's result from the permit
   * @param <R> the select's result type
   * @return the clause
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public <R> SelectClause<R> onReserve(Function<? super Permit<E>, ? extends R> then) {
    return open().onReserve(then);
  }

  /**
   * Reserves {@code n} places at once, waiting until all are free; see {@link
   * Sender#reserveMany(int)}.
   *
   * @param n how many places, from 1 to the capacity
   * @return {@code n} permits
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the capacity
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public List<Permit<E>> reserveMany(int n) throws InterruptedException {
    return open().reserveMany(n);
  }

  /**
   * Reserves {@code n} places at once if all are free now; see {@link Sender#tryReserveMany(int)}.
   *
   * @param n how many places, from 1 to the capacity
   * @return {@code n} permits, or {@code null} if fewer are free now
   * @throws ChannelClosedException if the channel is closed
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the capacity
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   * @throws IllegalStateException if this handle was closed
   */
  public @Nullable List<Permit<E>> tryReserveMany(int n) {
    return open().tryReserveMany(n);
  }

  @Override
  void ended(@Nullable Throwable cause) {
    if (cause == null) {
      channel.close();
    } else {
      channel.close(cause);
    }
  }

  /** {@link #asSender()}: a {@link Sender} whose close closes the handle. */
  private record HandleSender<E>(SenderHandle<E> handle) implements Sender<E> {
    @Override
    public void send(E element) throws InterruptedException {
      handle.send(element);
    }

    @Override
    public int sendAll(Iterable<? extends E> elements) throws InterruptedException {
      return handle.sendAll(elements);
    }

    @Override
    public boolean send(E element, Duration timeout) throws InterruptedException {
      return handle.send(element, timeout);
    }

    @Override
    public boolean trySend(E element) {
      return handle.trySend(element);
    }

    @Override
    public CompletableFuture<Void> sendAsync(E element) {
      return handle.sendAsync(element);
    }

    @Override
    public <R> SelectClause<R> onSend(E element, Supplier<? extends R> then) {
      return handle.onSend(element, then);
    }

    @Override
    public Permit<E> reserve() throws InterruptedException {
      return handle.reserve();
    }

    @Override
    public @Nullable Permit<E> reserve(Duration timeout) throws InterruptedException {
      return handle.reserve(timeout);
    }

    @Override
    public @Nullable Permit<E> tryReserve() {
      return handle.tryReserve();
    }

    @Override
    public CompletableFuture<Permit<E>> reserveAsync() {
      return handle.reserveAsync();
    }

    @Override
    public <R> SelectClause<R> onReserve(Function<? super Permit<E>, ? extends R> then) {
      return handle.onReserve(then);
    }

    @Override
    public List<Permit<E>> reserveMany(int n) throws InterruptedException {
      return handle.reserveMany(n);
    }

    @Override
    public @Nullable List<Permit<E>> tryReserveMany(int n) {
      return handle.tryReserveMany(n);
    }

    @Override
    public boolean close() {
      return handle.release(null);
    }

    @Override
    public boolean close(Throwable cause) {
      return handle.release(Objects.requireNonNull(cause, "cause"));
    }

    @Override
    public boolean isClosedForSend() {
      return handle.isClosedForSend();
    }

    @Override
    public boolean sameChannel(@Nullable Object other) {
      return handle.sameChannel(other);
    }
  }
}
