package dev.sluice.examples;

import dev.sluice.examples.kafka.AcrossJvms;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every example program, one after another, and exits with status 1 if any of them failed:
 * threw (each program checks its own result), or did not finish within its limit ({@link #LIMIT},
 * more for the one that starts a Kafka broker). The build runs it at the package phase, in a JVM of
 * its own.
 *
 * <p>Each program is also a {@code main} of its own. Arguments, if any, name the programs to run,
 * separated by spaces or commas (for example {@code AccountActor,EventBus}); the build passes
 * {@code -Dexamples=...} on.
 */
public final class RunAll {
  private RunAll() {}

  /** How long one program may take; they take milliseconds, so only a hang comes near it. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /**
   * How long {@link AcrossJvms} may take: it starts a Kafka broker and two more JVMs before its
   * first order. It took 30 to 50 s on two shared cores (the broker up in 9 to 22 s), but a broker
   * may take up to the 90 s KafkaBroker allows it.
   */
  private static final Duration KAFKA_LIMIT = Duration.ofSeconds(120);

  /** A program's {@code main}. */
  @FunctionalInterface
  private interface Program {
    void run() throws Exception;
  }

  private record Example(String name, Program main, Duration limit) {
    Example(String name, Program main) {
      this(name, main, LIMIT);
    }
  }

  private static final List<Example> EXAMPLES =
      List.of(
          new Example("LogShipper", LogShipper::main),
          new Example("WorkerPool", () -> WorkerPool.main(new String[0])),
          new Example("OwnedPipeline", () -> OwnedPipeline.main(new String[0])),
          new Example("CoroutineWorkerPool", CoroutineWorkerPool::main),
          new Example("AccountActor", AccountActor::main),
          new Example("Pipeline", Pipeline::main),
          new Example("ShutdownBySelect", () -> ShutdownBySelect.main(new String[0])),
          new Example("ConfigWatcher", ConfigWatcher::main),
          new Example("EventBus", EventBus::main),
          new Example("AcrossJvms", () -> AcrossJvms.main(new String[0]), KAFKA_LIMIT));

  /**
   * Runs the examples named in {@code args}, or all of them, and exits: 0 if each finished and
   * found its result right, 1 otherwise.
   *
   * @param args names of examples to run; none (or only blank ones) for all
   */
  public static void main(String[] args) {
    List<String> wanted =
        Arrays.stream(args)
            .flatMap(a -> Arrays.stream(a.split(",")))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .toList();
    int ran = 0;
    int failed = 0;
    long start = System.nanoTime();
    for (Example example : EXAMPLES) {
      if (!wanted.isEmpty() && !wanted.contains(example.name())) {
        continue;
      }
      ran++;
      System.out.println("== " + example.name());
      Throwable failure = runWithinLimit(example);
      if (failure instanceof TimeoutException) {
        failed++;
        System.out.println("   FAILED: " + failure.getMessage());
      } else if (failure != null) {
        failed++;
        System.out.println("   FAILED: " + failure);
        failure.printStackTrace(System.out);
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (ran == 0) {
      System.out.println("== no example is named " + wanted);
      System.exit(1);
    }
    if (failed == 0) {
      System.out.printf(
          "== all %d examples ran and found their results right (%d ms)%n", ran, millis);
    } else {
      System.out.printf("== %d of %d examples FAILED%n", failed, ran);
    }
    // Exits even if a program that hung left threads behind.
    System.exit(failed == 0 ? 0 : 1);
  }

  /**
   * Runs one example on a thread of its own; returns what it threw, a {@link TimeoutException} if
   * it did not finish in time, or null if it passed.
   */
  private static Throwable runWithinLimit(Example example) {
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              example.main().run();
              return null;
            });
    Thread thread = new Thread(task, example.name());
    thread.setDaemon(true);
    thread.start();
    try {
      task.get(example.limit().toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      printThreads();
      return new TimeoutException(
          example.name()
              + " did not finish within "
              + example.limit().toSeconds()
              + " s (its threads above)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /** What the examples' threads are doing: where a hung example waits. */
  private static void printThreads() {
    for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
      ThreadGroup group = t.getKey().getThreadGroup();
      if (t.getKey() == Thread.currentThread()
          || group == null
          || !group.getName().equals("main")) {
        continue; // the JVM's own threads
      }
      System.out.println("   thread " + t.getKey().getName() + " (" + t.getKey().getState() + ")");
      for (StackTraceElement frame : t.getValue()) {
        System.out.println("       at " + frame);
      }
    }
  }
}
