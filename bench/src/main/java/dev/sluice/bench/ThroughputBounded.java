package dev.sluice.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link Throughput} through a bounded buffer of 1, 16 or 1024 elements: producers wait while it is
 * full, consumers while it is empty. Rows: Sluice (blocking on platform and virtual threads,
 * futures joined and chained), {@code ArrayBlockingQueue} (platform and virtual threads), {@code
 * LinkedBlockingQueue}, jox (platform and virtual threads), and JCTools with a busy wait as the
 * no-parking limit. {@code -p capacity=16} compares every row at one capacity.
 */
public class ThroughputBounded extends Throughput {

  @Param({"1", "16", "1024"})
  public int capacity;

  @Param({
    "SLUICE",
    "SLUICE_VT",
    "SLUICE_CF",
    "SLUICE_CF_CHAIN",
    "ABQ",
    "ABQ_VT",
    "LBQ",
    "JOX",
    "JOX_VT",
    "JCTOOLS"
  })
  public Impl impl;

  @Override
  Impl impl() {
    return impl;
  }

  @Override
  int capacity() {
    return capacity;
  }
}
