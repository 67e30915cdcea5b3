/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * A receiver that is a view of a Sluice channel: each element it gives out is one element taken
 * from its {@linkplain #viewSource() source channel}, turned into the view's element by {@link
 * #viewTaken(Object)}. A receiver built this way elsewhere (a Kafka receiver in {@code
 * channels-kafka} is one) gets the other faces of Sluice for free: the Kotlin face's {@code
 * asReceiveChannel()} and {@code receiveAsFlow()} build their view over the source channel and call
 * {@link #viewTaken(Object)} on each element they took, so the source channel's promises (a
 * cancelled wait took nothing, a coroutine cancelled just as an element was handed to it gives the
 * element back) hold for the view too.
 *
 * <p>Invariant: every element taken from the source channel, by any face, reaches the caller that
 * took it only through {@link #viewTaken(Object)}, exactly once.
 *
 * <p>This is an interface for the implementers of such receivers and for Sluice's other faces, not
 * for their users: an element received from the source directly, or a cancel of the source, skips
 * whatever the view does in {@link #viewTaken(Object)} and in {@link #cancel()}.
 *
 * @param <E> the type of the view's elements, never {@code null}
 */
public interface ReceiverView<E> extends Receiver<E> {

  /**
   * The Sluice channel this view takes its elements from, as a receiver: a channel made by {@link
   * Channel}'s factories (or another view's source). Faces read from it and nothing else.
   *
   * @return the source channel
   */
  Receiver<?> viewSource();

  /**
   * Turns one element taken from {@link #viewSource()} into this view's element. A face calls it
   * once for each element it took, in the thread that hands the result to its caller, after the
   * take and before the caller sees the result; from then on the element is received.
   *
   * @param taken an element taken from the source channel
   * @return the view's element, never {@code null}
   * @throws ClassCastException if {@code taken} is not an element of the source channel
   */
  E viewTaken(Object taken);

  /**
   * Ends this view as its own contract says (for a Kafka receiver: a close that hands its
   * partitions over). Faces built over the view call this for their own cancel, never the source's
   * {@code cancel}.
   */
  @Override
  void cancel();
}
