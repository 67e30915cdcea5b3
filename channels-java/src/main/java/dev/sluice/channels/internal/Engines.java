/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: each accessor is registered by its kind's class initialiser before an instance of the
// kind exists, and the first registration stays: a face always reaches the one engine or core an
// instance was made with.
package dev.sluice.channels.internal;

import dev.sluice.channels.Broadcast;
import dev.sluice.channels.Watch;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the engine behind a public channel object, for the faces in other packages (the Kotlin
 * face's views): a {@link BufferedChannel} is its own engine; a kind built on one (a {@code
 * Oneshot}) registers, from its class initialiser, how to reach the engine it keeps private; a kind
 * with a state machine of its own (a broadcast's subscriber, a watch's reader) registers how to
 * reach that core, whose typed methods the faces then call. So the public classes expose no engine
 * accessor, and the faces still reach every kind.
 */
public final class Engines {
  private static final Map<Class<?>, Function<Object, BufferedChannel<?>>> ACCESSORS =
      new ConcurrentHashMap<>();

  /** Set once by {@code Broadcast.Subscriber}'s class initialiser. */
  private static volatile @Nullable Function<Broadcast.Subscriber<?>, SubscriberCore<?>>
      subscriberCores;

  /** Set once by {@code Watch.Reader}'s class initialiser. */
  private static volatile @Nullable Function<Watch.Reader<?>, ReaderCore<?>> readerCores;

  private Engines() {}

  /**
   * Registers how to reach the engine of instances of {@code type}. Called once per kind, from its
   * class initialiser, which runs before any instance exists.
   *
   * @param type the public class of the kind
   * @param accessor returns the engine of an instance of {@code type}
   */
  public static void register(Class<?> type, Function<Object, BufferedChannel<?>> accessor) {
    ACCESSORS.putIfAbsent(Objects.requireNonNull(type), Objects.requireNonNull(accessor));
  }

  /**
   * Registers how to reach the state machine of a {@code Broadcast.Subscriber}. Called once, from
   * that class's initialiser, which runs before any subscriber exists.
   *
   * @param accessor returns the core of a subscriber
   */
  public static void registerSubscriberCores(
      Function<Broadcast.Subscriber<?>, SubscriberCore<?>> accessor) {
    Objects.requireNonNull(accessor);
    if (subscriberCores == null) {
      subscriberCores = accessor; // the first stays, as for engines
    }
  }

  /**
   * Registers how to reach the state machine of a {@code Watch.Reader}. Called once, from that
   * class's initialiser, which runs before any reader exists.
   *
   * @param accessor returns the core of a reader
   */
  public static void registerReaderCores(Function<Watch.Reader<?>, ReaderCore<?>> accessor) {
    Objects.requireNonNull(accessor);
    if (readerCores == null) {
      readerCores = accessor; // the first stays, as for engines
    }
  }

  /**
   * The state machine behind a broadcast subscriber, for a face in another package (the Kotlin
   * face), which then waits on its signal and looks through it with typed calls.
   *
   * @param subscriber the public subscriber
   * @param <E> the type of the elements
   * @return its core
   */
  @SuppressWarnings("unchecked")
  public static <E> SubscriberCore<E> coreOf(Broadcast.Subscriber<E> subscriber) {
    Function<Broadcast.Subscriber<?>, SubscriberCore<?>> accessor = subscriberCores;
    if (accessor == null) { // only if the subscriber reached this thread without a happens-before
      initialize(Broadcast.Subscriber.class);
      accessor = Objects.requireNonNull(subscriberCores);
    }
    return (SubscriberCore<E>) accessor.apply(subscriber);
  }

  /**
   * The state machine behind a watch reader, for a face in another package (the Kotlin face).
   *
   * @param reader the public reader
   * @param <E> the type of the value
   * @return its core
   */
  @SuppressWarnings("unchecked")
  public static <E> ReaderCore<E> coreOf(Watch.Reader<E> reader) {
    Function<Watch.Reader<?>, ReaderCore<?>> accessor = readerCores;
    if (accessor == null) { // as for subscribers
      initialize(Watch.Reader.class);
      accessor = Objects.requireNonNull(readerCores);
    }
    return (ReaderCore<E>) accessor.apply(reader);
  }

  /** Runs the initialiser of {@code type}, which registers its accessor, if it has not run. */
  private static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e); // it is loaded: its Class object is here
    }
  }

  /**
   * Runs {@code op} in a {@link ClaimFrame} if a face installed one and this thread is not in one
   * already: resumptions that claims make in {@code op} (a kotlinx select's, on a dispatcher that
   * does not dispatch) then run after {@code op} returned, not inside it. A kind that sends with
   * {@link ChannelEngine#trySendDeferred} under a lock of its own takes that lock inside {@code
   * op}.
   *
   * @param op the operation
   * @param <T> its result type
   * @return what {@code op} returned
   */
  public static <T> T inClaimFrame(Supplier<T> op) {
    return ClaimFrame.isInstalled() && !ClaimFrame.inside() ? ClaimFrame.call(op) : op.get();
  }

  /**
   * Whether two channel objects of any kind (channels, oneshots, views registered with {@link
   * #register}) are faces of one engine.
   *
   * @param channel one of them
   * @param other the other, or {@code null}
   * @return {@code true} if both have an engine, and it is the same
   */
  public static boolean sameEngine(Object channel, @Nullable Object other) {
    if (other == null) {
      return false;
    }
    BufferedChannel<?> mine = of(channel);
    return mine != null && mine == of(other);
  }

  /**
   * The engine behind {@code channel}.
   *
   * @param channel a channel object of any kind
   * @return its engine, or {@code null} if it is not one of Sluice's
   */
  public static @Nullable BufferedChannel<?> of(Object channel) {
    if (channel instanceof BufferedChannel) {
      return (BufferedChannel<?>) channel;
    }
    Function<Object, BufferedChannel<?>> accessor = ACCESSORS.get(channel.getClass());
    return accessor == null ? null : accessor.apply(channel);
  }
}
