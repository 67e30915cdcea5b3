/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

/**
 * The outcome codes of the engine's operations, in one table: every operation that reports an
 * outcome returns one of these ints, and each means the same thing wherever it is returned. Callers
 * (the Java face, select, the kinds, the Kotlin face) compare against these names, never against
 * literals. They are ints, not an enum, so that the hot paths return them without a load or a box.
 *
 * <table>
 *   <caption>Outcome codes, and the operations that return them</caption>
 *   <tr><th>code</th><th>meaning</th><th>returned by</th></tr>
 *   <tr><td>{@link #SENT}</td><td>the channel took the element</td>
 *       <td>every send; {@code sendAndClose}: sent, and closed by this call</td></tr>
 *   <tr><td>{@link #FULL}</td><td>a send that may not wait found no room; nothing changed</td>
 *       <td>{@code trySendOutcome}, {@code trySendDeferred}, {@code sendAndClose}</td></tr>
 *   <tr><td>{@link #CLOSED}</td><td>the channel is closed (for a receive: closed and drained); the
 *       element of a send stays with the caller</td><td>every send and receive</td></tr>
 *   <tr><td>{@link #QUEUED}</td><td>the caller's waiter is queued and belongs to the channel until
 *       it is claimed or withdrawn</td>
 *       <td>{@code sendOrEnqueue}, {@code receiveOrEnqueue}</td></tr>
 *   <tr><td>{@link #RECEIVED}</td><td>the waiter holds an element and was not queued</td>
 *       <td>{@code receiveOrEnqueue}</td></tr>
 *   <tr><td>{@link #NEEDS_FRAME}</td><td>nothing was done: a waiting receive must be claimed inside
 *       a {@link ClaimFrame} and the caller is not in one</td><td>{@code trySendDeferred}</td></tr>
 * </table>
 */
public final class Outcome {
  /** The channel took the element. */
  public static final int SENT = 0;

  /** A send that may not wait found the channel full; nothing changed. */
  public static final int FULL = 1;

  /** The channel is closed (for a receive: closed and drained). */
  public static final int CLOSED = 2;

  /** The caller's waiter is queued. */
  public static final int QUEUED = 3;

  /** The waiter holds an element, and was not queued. */
  public static final int RECEIVED = 4;

  /**
   * Nothing was done, because a waiting receive must be claimed inside a {@link ClaimFrame} and the
   * caller is not in one.
   */
  public static final int NEEDS_FRAME = 5;

  private Outcome() {}

  /**
   * The name of an outcome code, for messages and test failures.
   *
   * @param outcome an outcome code
   * @return its name, such as {@code "SENT"}, or {@code "outcome 42"} for a code not in the table
   */
  public static String name(int outcome) {
    switch (outcome) {
      case SENT:
        return "SENT";
      case FULL:
        return "FULL";
      case CLOSED:
        return "CLOSED";
      case QUEUED:
        return "QUEUED";
      case RECEIVED:
        return "RECEIVED";
      case NEEDS_FRAME:
        return "NEEDS_FRAME";
      default:
        return "outcome " + outcome;
    }
  }
}
