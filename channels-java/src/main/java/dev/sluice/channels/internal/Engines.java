package dev.sluice.channels.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
