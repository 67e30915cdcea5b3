package dev.sluice.examples.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program of the example running in a JVM of its own: the orchestrator's side (start it, show its
 * output, stop it) and the child's side (end when the orchestrator is gone).
 *
 * <p>Invariant: no child JVM outlives its orchestrator. The orchestrator stops its children in a
 * {@code finally} and, should it exit another way (RunAll's time limit calls {@code System.exit}),
 * in a shutdown hook; a child whose orchestrator was killed outright sees its standard input, a
 * pipe from the orchestrator, reach its end, and halts.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Thread echo;
  private final Thread stopper;

  private ChildJvm(String name, Process process, Thread echo, Thread stopper) {
    this.name = name;
    this.process = process;
    this.echo = echo;
    this.stopper = stopper;
  }

  /**
   * Starts {@code main} in a new JVM: this JVM's {@code java}, its class path, a small heap. The
   * child's output is printed here, each line after {@code [name]}.
   *
   * @param name what the child's lines are marked with
   * @param main a class with a {@code main}
   * @param args the child's arguments
   * @return the running child
   * @throws IOException if the JVM cannot be started
   */
  static ChildJvm start(String name, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread echo = new Thread(() -> echo(name, process), "echo-" + name);
    echo.setDaemon(true);
    echo.start();
    Thread stopper = new Thread(process::destroyForcibly, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(stopper);
    return new ChildJvm(name, process, echo, stopper);
  }

  private static void echo(String name, Process process) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        System.out.println("   [" + name + "] " + line);
      }
    } catch (IOException e) {
      // the child was stopped while it wrote: its output ends here
    }
  }

  /**
   * Waits for the child to exit by itself.
   *
   * @param seconds how long to wait at most
   * @return the child's exit status
   * @throws InterruptedException if this thread is interrupted while waiting
   * @throws IllegalStateException if the child is still running after {@code seconds}
   */
  int exitStatus(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not finish within " + seconds + " s");
    }
    echo.join(TimeUnit.SECONDS.toMillis(5)); // its last lines
    return process.exitValue();
  }

  /** Stops the child if it still runs: politely, then by force. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs anyway
      }
    }
  }

  /**
   * The child's side: halts this JVM once its standard input ends, which happens when the
   * orchestrator that started it exits, however it exits. Call it first thing in a child's {@code
   * main}.
   */
  static void haltWhenOrphaned() {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the orchestrator writes nothing: only the end matters
                }
              } catch (IOException e) {
                // a broken pipe ends it too
              }
              System.err.println("the orchestrator is gone: halting");
              Runtime.getRuntime().halt(3);
            },
            "orphan-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
