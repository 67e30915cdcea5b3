/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the engine behind a public channel object, for the faces in other packages (the Kotlin
 * face's views): a {@link BufferedChannel} is its own engine; a kind built on one (a {@code
 * Oneshot}) registers, from its class initialiser, how to reach the engine it keeps private. So the
 * public classes expose no engine accessor, and the faces still reach every kind.
 */
public final class Engines {
  private static final Map<Class<?>, Function<Object, BufferedChannel<?>>> ACCESSORS =
      new ConcurrentHashMap<>();

  private static final Map<Class<?>, BiFunction<Object, Boolean, Object>> LOOKS =
      new ConcurrentHashMap<>();

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
   * Registers the look of a kind whose waits receive a token from its engine (a broadcast's
   * subscriber): what a face calls once it holds a token, to turn it into the wait's result.
   *
   * @param type the public class of the kind
   * @param look takes an instance and a flag whose meaning the kind documents, and returns the
   *     result, or throws what the kind's waits throw
   */
  public static void registerLook(Class<?> type, BiFunction<Object, Boolean, Object> look) {
    LOOKS.putIfAbsent(Objects.requireNonNull(type), Objects.requireNonNull(look));
  }

  /**
   * Calls the look that {@code kind}'s class registered, for a face that holds one of its tokens.
   *
   * @param kind an instance of a kind that registered a look
   * @param flag the kind's flag
   * @return the look's result
   * @throws IllegalArgumentException if {@code kind}'s class registered no look
   */
  public static Object look(Object kind, boolean flag) {
    BiFunction<Object, Boolean, Object> look = LOOKS.get(kind.getClass());
    if (look == null) {
      throw new IllegalArgumentException("not a kind with a look: " + kind.getClass().getName());
    }
    return look.apply(kind, flag);
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
