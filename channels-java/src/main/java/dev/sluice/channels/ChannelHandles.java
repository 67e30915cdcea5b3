/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import java.util.Objects;

/**
 * The two first handles of a channel that only its handles own, as Tokio's {@code mpsc::channel}
 * returns them: made by {@link ChannelBuilder#buildHandles()} or {@link Channel#handles(int)}. No
 * other reference to the channel is handed out, so it closes for sending exactly when its last
 * sending handle closes, and is cancelled when its last receiving handle does. More handles come
 * from these ({@link SenderHandle#newSender()}, {@link ReceiverHandle#newReceiver()}).
 *
 * @param sender the first sending handle
 * @param receiver the first receiving handle
 * @param <E> the type of elements
 */
public record ChannelHandles<E>(SenderHandle<E> sender, ReceiverHandle<E> receiver) {
  /**
   * Pairs two handles.
   *
   * @param sender the first sending handle
   * @param receiver the first receiving handle
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if they are handles of different channels
   */
  public ChannelHandles {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(receiver, "receiver");
    if (!sender.sameChannel(receiver)) {
      throw new IllegalArgumentException("the two handles are of different channels");
    }
  }

  /**
   * Handles of a new channel made by {@code channel}'s engine: internal to the factories.
   *
   * @param channel a channel no one else holds
   * @param <E> the type of elements
   * @return its two first handles
   */
  static <E> ChannelHandles<E> of(Channel<E> channel) {
    return new ChannelHandles<>(
        SenderHandle.openOrThrow(channel), ReceiverHandle.openOrThrow(channel));
  }
}
