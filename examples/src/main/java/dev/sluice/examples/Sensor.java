package dev.sluice.examples;

import dev.sluice.channels.Receiver;
import dev.sluice.channels.Select;
import dev.sluice.channels.Sender;

/**
 * A source of {@link Pipeline}, on a Java thread: it reads a (simulated) sensor and sends each
 * reading into the channel it shares with the other sources, until it takes a stop token.
 *
 * <p>Each turn is one select between taking a stop token and sending the next reading. So a sensor
 * whose send waits on a full channel still hears the stop at once; and since a clause that loses
 * has no effect, a reading is either sent (and counted) or not sent at all. The stop clause comes
 * first: when both are ready, the biased select stops.
 */
final class Sensor implements Runnable {
  private final String name;
  private final Sender<String> readings;
  private final Receiver<String> stop;
  private volatile int sent;

  Sensor(String name, Sender<String> readings, Receiver<String> stop) {
    this.name = name;
    this.readings = readings;
    this.stop = stop;
  }

  String name() {
    return name;
  }

  /** How many readings this sensor sent; final once its thread ended. */
  int sent() {
    return sent;
  }

  @Override
  public void run() {
    int n = 0;
    try {
      while (Select.select(
          stop.onReceive(reason -> false), // first: a biased select prefers it
          readings.onSend(Pipeline.reading(name, n), () -> true))) {
        n++;
        sent = n;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
