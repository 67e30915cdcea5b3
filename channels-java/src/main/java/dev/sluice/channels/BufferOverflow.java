/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * What a send does when the channel's buffer is full, as set by {@link ChannelBuilder#overflow}.
 *
 * <p>The names and meanings are those of {@code kotlinx.coroutines.channels.BufferOverflow}.
 */
public enum BufferOverflow {
  /** The send waits until there is room (the default). {@code trySend} returns {@code false}. */
  SUSPEND,
  /**
   * The send never waits: the oldest buffered element is dropped to make room, and handed to the
   * channel's {@link ChannelBuilder#onUndeliveredElement undelivered-element handler}.
   */
  DROP_OLDEST,
  /**
   * The send never waits: the element being sent is dropped, and handed to the channel's {@link
   * ChannelBuilder#onUndeliveredElement undelivered-element handler}. The send still reports
   * success.
   */
  DROP_LATEST
}
