/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.jcstress;

import java.io.FileNotFoundException;
import java.util.Arrays;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Runs jcstress as its own {@code Main} does (same options), and also fails when a selected test
 * did not run at all: the run the build relies on must not pass by running nothing.
 *
 * <p>Without jcstress's annotation processor (javac 23+ runs none from the class path) the jar has
 * no test and no {@code META-INF/TestList}; this says so plainly.
 *
 * <p>jcstress 0.16 fails a run that saw a forbidden outcome or an error (its report throws, and the
 * JVM exits with 1), but it returns normally, exit code 0, when it found no VM configuration to run
 * with (a {@code -jvmArgs} flag the JVM refuses) or no test matching {@code -t}. This checks, after
 * the run, that its result file holds a result for every selected test, and exits with 1 if not.
 *
 * <p>jcstress 0.16 also has no time limit for a test's arbiter, nor for its first check of each
 * test: a lane whose element can never be found makes a poll there wait forever, and the run with
 * it. With {@code --timeout-minutes N} first (then jcstress's own options), a run still going after
 * N minutes ends the JVMs it forked and exits with 1.
 */
public final class CheckedRun {
  private CheckedRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("--timeout-minutes")) {
      startWatchdog(Long.parseLong(args[1]));
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    if (CheckedRun.class.getResource("/META-INF/TestList") == null) {
      // jcstress itself would stop on a NullPointerException here.
      fail("the jar has no META-INF/TestList: jcstress's annotation processor did not run");
    }
    Options opts = new Options(args);
    if (!opts.parse()) {
      System.exit(1);
    }
    JCStress jcstress = new JCStress(opts);
    SortedSet<String> selected = jcstress.getTests();
    if (selected.isEmpty()) {
      fail("no test matches -t " + opts.getTestFilter());
    }
    jcstress.run(); // throws on a forbidden outcome or a test error
    InProcessCollector results = new InProcessCollector();
    DiskReadCollector reader;
    try {
      reader = new DiskReadCollector(opts.getResultFile(), results);
    } catch (FileNotFoundException e) {
      fail("jcstress wrote no results (" + opts.getResultFile() + "): see its output above");
      return;
    }
    try {
      reader.dump();
    } finally {
      reader.close();
    }
    Set<String> ran = new TreeSet<>();
    for (TestResult r : results.getTestResults()) {
      if (r.status() == Status.NORMAL) {
        ran.add(r.getName());
      }
    }
    SortedSet<String> missing = new TreeSet<>(selected);
    missing.removeAll(ran);
    if (!missing.isEmpty()) {
      fail("these tests did not run: " + missing);
    }
    System.out.println(
        "jcstress: all " + selected.size() + " selected tests ran, no forbidden outcome");
  }

  private static void startWatchdog(long minutes) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                TimeUnit.MINUTES.sleep(minutes);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println(
                  "FAILED: jcstress still running after " + minutes + " min: a test hangs");
              ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
              Runtime.getRuntime().halt(1);
            },
            "jcstress-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void fail(String why) {
    System.err.println("FAILED: " + why);
    System.exit(1);
  }
}
