/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

/**
 * A record the poller fetched and put into the local channel, with where it came from.
 *
 * <p>Invariant: the poller sends the records of one assignment into the local channel in offset
 * order, and only the poller sends into it; the channel is FIFO, so at any moment the records of an
 * assignment that callers took are the oldest ones it was sent.
 *
 * @param assignment the partition's assignment it was fetched under
 * @param offset its offset in the partition
 * @param value the deserialized element
 * @param <E> the element type
 */
record Prefetched<E>(Assignment assignment, long offset, E value) {

  /** Marks this record received by a caller, and gives the caller its element. */
  E take() {
    assignment.received(offset);
    return value;
  }
}
