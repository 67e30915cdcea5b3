/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

/**
 * What a reserve sends instead of an element: a request for {@link #places} places of the buffer.
 * The engine runs a reserve as a send whose element is a request, so every face's send machinery (a
 * parked thread, a future, a select clause, a coroutine) reserves too; the locked steps tell the
 * two apart ({@code sendLocked} counts the places instead of buffering, a freed place goes to a
 * request only when all its places fit) and never hand a request to a receive. Immutable; its class
 * is the engine's own, so no user element is ever taken for one.
 */
public final class ReserveRequest {
  /** The request for one place, shared by every reserve of one. */
  public static final ReserveRequest ONE = new ReserveRequest(1);

  /** How many places the reserve wants, all at once; at least 1. */
  final int places;

  private ReserveRequest(int places) {
    this.places = places;
  }

  /**
   * The request for {@code places} places.
   *
   * @param places at least 1
   * @return the request
   */
  public static ReserveRequest of(int places) {
    if (places < 1) {
      throw new IllegalArgumentException("a reserve takes at least 1 place, was " + places);
    }
    return places == 1 ? ONE : new ReserveRequest(places);
  }

  /**
   * This request, typed as a channel's element, for the send machinery that carries it.
   *
   * @param <E> the channel's element type
   * @return this request
   */
  @SuppressWarnings("unchecked") // never delivered: the engine tells a request from an element
  public <E> E asElement() {
    return (E) this;
  }

  /**
   * How many places a waiting send of {@code item} needs: a request's places, or 1 for an element.
   */
  static int placesOf(Object item) {
    return item instanceof ReserveRequest ? ((ReserveRequest) item).places : 1;
  }

  @Override
  public String toString() {
    return "ReserveRequest[" + places + "]";
  }
}
