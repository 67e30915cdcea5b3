/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * One place in a channel's buffer, held for a send that comes later: what {@link Sender#reserve()}
 * and its kin return. While a permit is held, the channel counts its place as taken, so the sends
 * of others wait (or report full) as if an element were there; {@link #send(Object)} then never
 * waits and never fails for lack of room. The use Tokio made popular: reserve in a {@code select}
 * before the value to send exists, so that a select that picks this clause never holds a value it
 * cannot send.
 *
 * <pre>{@code
 * try (Permit<Order> permit = orders.reserve()) {   // waits for a place
 *     permit.send(price(request));                  // never waits
 * }                                                 // unused: the place goes back
 * }</pre>
 *
 * <p>A permit is used once: by {@link #send(Object)}, or given back unused by {@link #release()}
 * (or {@link #close()}, so that try-with-resources gives back a permit that an exception kept from
 * its send). <b>A permit that is neither sent nor released is a leak</b>: its place stays taken
 * until the channel closes, and a channel whose places all leaked makes its sends wait forever.
 *
 * <p>A permit does not keep the channel open. Once the channel is closed or cancelled, every permit
 * is void: {@link #send(Object)} throws {@link ChannelClosedException} and the element was not
 * sent, as for any send after a close, and {@link #release()} has nothing to give back.
 *
 * <p>A permit may be used from any thread, once; its methods are thread-safe. Actions in a thread
 * before {@link #send(Object)} happen-before the actions that follow the receipt of that element.
 *
 * @param <E> the type of elements
 */
public interface Permit<E> extends AutoCloseable {

  /**
   * Sends {@code element} in the place this permit holds: hands it to a waiting receiver, or puts
   * it in the buffer. Never waits.
   *
   * @param element the element to send
   * @throws ChannelClosedException if the channel was closed or cancelled since the reserve (the
   *     permit is spent, and the element was not sent)
   * @throws IllegalStateException if this permit was used or released before
   * @throws NullPointerException if {@code element} is null (the permit stays unused)
   */
  void send(E element);

  /**
   * Gives the place back unused: the oldest waiting send that it lets complete takes it, or it is
   * free again. Does nothing if the permit was used or released before, or the channel closed.
   *
   * @return {@code true} if this call gave the place back; {@code false} if the permit was used or
   *     released before (a void permit's release also answers {@code true}: this call ended it)
   */
  boolean release();

  /**
   * {@link #release()}: gives the place back if the permit is still unused; after {@link
   * #send(Object)} it does nothing.
   */
  @Override
  void close();
}
