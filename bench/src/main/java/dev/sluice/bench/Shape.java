package dev.sluice.bench;

/** How many threads send and how many receive on the one channel of a throughput benchmark. */
public enum Shape {
  /** One producer, one consumer. */
  SPSC(1, 1),
  /** Two producers, two consumers: more threads than the two cores of the reference machine. */
  MPMC(2, 2);

  final int producers;
  final int consumers;

  Shape(int producers, int consumers) {
    this.producers = producers;
    this.consumers = consumers;
  }

  boolean multi() {
    return producers > 1 || consumers > 1;
  }
}
