/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A receiving handle: one owner's share of a channel's receiving end. When the last receiving
 * handle is closed, nobody is left to receive, so the channel is cancelled ({@link
 * Receiver#cancel()}): sends fail from then on, and what was buffered goes to the channel's
 * undelivered-element handler. Senders learn it from their failing sends, or from {@link
 * SenderHandle#closed()}.
 *
 * <p>Closed once, as a {@link SenderHandle} is: a second {@link #close()} does nothing, and every
 * other method of a closed handle throws {@link IllegalStateException} without touching the
 * channel. The receiving methods are those of {@link Receiver}, with the same semantics; {@link
 * #asReceiver()} is a {@link Receiver} view. A handle made at the same moment as the last one's
 * close either keeps the channel from being cancelled or is refused with {@link
 * ChannelClosedException}.
 *
 * @param <E> the type of elements
 */
public final class ReceiverHandle<E> extends OwnedEnd<E> implements AutoCloseable, Iterable<E> {
  static {
    Engines.register(ReceiverHandle.class, h -> ((ReceiverHandle<?>) h).channel);
  }

  private ReceiverHandle(BufferedChannel<E> channel) {
    super(channel, false);
  }

  /** A new receiving handle of {@code channel}, or {@link ChannelClosedException}. */
  static <E> ReceiverHandle<E> openOrThrow(Object channel) {
    return new ReceiverHandle<>(acquire(channel, false));
  }

  /**
   * Receives an element, waiting while the channel is empty, as {@link Receiver#receive()}.
   *
   * @return the element
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   */
  public E receive() throws InterruptedException {
    return open().receive();
  }

  /**
   * Receives an element, waiting at most {@code timeout}, as {@link Receiver#receive(Duration)}.
   *
   * @param timeout how long to wait at most
   * @return the element, or {@code null} if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code timeout} is null
   */
  public @Nullable E receive(Duration timeout) throws InterruptedException {
    return open().receive(timeout);
  }

  /**
   * Receives an element if one is there now, as {@link Receiver#tryReceive()}.
   *
   * @return the element, or {@code null} if the channel is empty right now
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   */
  public @Nullable E tryReceive() {
    return open().tryReceive();
  }

  /**
   * Receives an element without blocking the caller, as {@link Receiver#receiveAsync()}.
   *
   * @return a future of the next element
   * @throws IllegalStateException if this handle was closed
   */
  public CompletableFuture<E> receiveAsync() {
    return open().receiveAsync();
  }

  /**
   * Receives a batch, as {@link Receiver#receiveMany(Collection, int)}.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @return how many were added, at least 1
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  public int receiveMany(Collection<? super E> into, int max) throws InterruptedException {
    return open().receiveMany(into, max);
  }

  /**
   * Receives a batch, waiting at most {@code timeout} for the first element, as {@link
   * Receiver#receiveMany(Collection, int, Duration)}.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @param timeout how long to wait at most for the first element
   * @return how many were added; 0 if the timeout elapsed first
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} or {@code timeout} is null
   */
  public int receiveMany(Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException {
    return open().receiveMany(into, max, timeout);
  }

  /**
   * Takes up to {@code max} elements that are there now, as {@link
   * Receiver#tryReceiveMany(Collection, int)}.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @return how many were added; 0 if the channel is empty right now
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if this handle was closed
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  public int tryReceiveMany(Collection<? super E> into, int max) {
    return open().tryReceiveMany(into, max);
  }

  /**
   * Receives a batch without blocking the caller, as {@link Receiver#receiveManyAsync(int)}.
   *
   * @param max the most to take, at least 1
   * @return a future of the batch
   * @throws IllegalStateException if this handle was closed
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  public CompletableFuture<List<E>> receiveManyAsync(int max) {
    return open().receiveManyAsync(max);
  }

  /**
   * A {@link Select} clause that receives an element, as {@link Receiver#onReceive(Function)}.
   *
   * @param then computes the select's result from the element
   * @param <R> the select's result type
   * @return the clause
   * @throws IllegalStateException if this handle was closed
   * @throws NullPointerException if {@code then} is null
   */
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    return open().onReceive(then);
  }

  /**
   * Whether the channel is closed and drained, as {@link Receiver#isClosedForReceive()}.
   *
   * @return {@code true} if every receive fails now
   * @throws IllegalStateException if this handle was closed
   */
  public boolean isClosedForReceive() {
    return open().isClosedForReceive();
  }

  /**
   * Whether nothing is buffered now, as {@link Receiver#isEmpty()}.
   *
   * @return {@code true} if a receive would wait now
   * @throws IllegalStateException if this handle was closed
   */
  public boolean isEmpty() {
    return open().isEmpty();
  }

  /**
   * How many elements are buffered now, as {@link Receiver#size()}.
   *
   * @return the number of elements
   * @throws IllegalStateException if this handle was closed
   */
  public int size() {
    return open().size();
  }

  /**
   * An iterator that receives until the channel is closed and drained, as {@link
   * Receiver#iterator()}.
   *
   * @return the iterator
   * @throws IllegalStateException if this handle was closed
   */
  @Override
  public Iterator<E> iterator() {
    return open().iterator();
  }

  /**
   * A stream that receives until the channel is closed and drained, as {@link Receiver#stream()}.
   *
   * @return the stream
   * @throws IllegalStateException if this handle was closed
   */
  public Stream<E> stream() {
    return open().stream();
  }

  /**
   * Another receiving handle of the same channel, counted as one more owner.
   *
   * @return the new handle
   * @throws ChannelClosedException if the channel's receiving handles ended
   * @throws IllegalStateException if this handle was closed
   */
  public ReceiverHandle<E> newReceiver() {
    return openOrThrow(open());
  }

  /**
   * This handle as a {@link Receiver}, for code written against that interface. Its {@code
   * cancel()} closes this handle (cancelling the channel if it was the last); every other method
   * behaves as this handle's.
   *
   * @return the view
   */
  public Receiver<E> asReceiver() {
    return new HandleReceiver<>(this);
  }

  /**
   * Whether {@code other} is a face of the same channel, as {@link Receiver#sameChannel(Object)}.
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
   * Closes this handle; if it was the last open receiving handle of the channel, cancels the
   * channel: sends fail from then on, and what is buffered goes to the undelivered-element handler.
   * A second call does nothing.
   */
  @Override
  public void close() {
    release(null);
  }

  @Override
  void ended(@Nullable Throwable cause) {
    channel.cancel();
  }

  /** {@link #asReceiver()}: a {@link Receiver} whose cancel closes the handle. */
  private record HandleReceiver<E>(ReceiverHandle<E> handle) implements Receiver<E> {
    static {
      Engines.register(HandleReceiver.class, r -> ((HandleReceiver<?>) r).handle().channel);
    }

    @Override
    public E receive() throws InterruptedException {
      return handle.receive();
    }

    @Override
    public @Nullable E receive(Duration timeout) throws InterruptedException {
      return handle.receive(timeout);
    }

    @Override
    public @Nullable E tryReceive() {
      return handle.tryReceive();
    }

    @Override
    public CompletableFuture<E> receiveAsync() {
      return handle.receiveAsync();
    }

    @Override
    public int receiveMany(Collection<? super E> into, int max) throws InterruptedException {
      return handle.receiveMany(into, max);
    }

    @Override
    public int receiveMany(Collection<? super E> into, int max, Duration timeout)
        throws InterruptedException {
      return handle.receiveMany(into, max, timeout);
    }

    @Override
    public int tryReceiveMany(Collection<? super E> into, int max) {
      return handle.tryReceiveMany(into, max);
    }

    @Override
    public CompletableFuture<List<E>> receiveManyAsync(int max) {
      return handle.receiveManyAsync(max);
    }

    @Override
    public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
      return handle.onReceive(then);
    }

    @Override
    public void cancel() {
      handle.close();
    }

    @Override
    public boolean isClosedForReceive() {
      return handle.isClosedForReceive();
    }

    @Override
    public boolean isEmpty() {
      return handle.isEmpty();
    }

    @Override
    public int size() {
      return handle.size();
    }

    @Override
    public Iterator<E> iterator() {
      return handle.iterator();
    }

    @Override
    public Stream<E> stream() {
      return handle.stream();
    }

    @Override
    public boolean sameChannel(@Nullable Object other) {
      return handle.sameChannel(other);
    }
  }
}
