package dev.sluice.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * {@link Throughput} without a buffer (capacity 0): every element is a hand-over from a producer to
 * a consumer that meet. Rows: Sluice (blocking on platform and virtual threads, futures joined and
 * chained), {@code SynchronousQueue}, {@code LinkedTransferQueue.transfer}, jox (platform and
 * virtual threads).
 */
public class ThroughputRendezvous extends Throughput {

  @Param({"SLUICE", "SLUICE_VT", "SLUICE_CF", "SLUICE_CF_CHAIN", "SQ", "LTQ", "JOX", "JOX_VT"})
  public Impl impl;

  @Override
  Impl impl() {
    return impl;
  }

  @Override
  int capacity() {
    return 0;
  }
}
