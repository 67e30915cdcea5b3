package dev.sluice.examples;

import java.util.List;

/** Runs every example, and fails if any of them finds its own result wrong. */
public final class RunAll {
  private RunAll() {}

  /** One runnable example: prints what happened and throws if the outcome is wrong. */
  interface Example {
    String name();

    void run() throws Exception;
  }

  /**
   * Runs each example in turn.
   *
   * @param args ignored
   * @throws Exception the first example's failure
   */
  public static void main(String[] args) throws Exception {
    List<Example> examples = List.of(new WorkerPool(), new ShutdownBySelect());
    for (Example example : examples) {
      System.out.println("== " + example.name());
      example.run();
    }
    System.out.println("== all " + examples.size() + " examples ran and checked their results");
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("example went wrong: " + what);
    }
  }
}
