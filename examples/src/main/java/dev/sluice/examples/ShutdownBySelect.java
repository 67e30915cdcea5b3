package dev.sluice.examples;

import dev.sluice.channels.Channel;
import dev.sluice.channels.Select;
import java.time.Duration;

/**
 * Graceful shutdown through select: a server loop waits on its requests, a shutdown channel and a
 * timeout at once, serves requests until the shutdown signal arrives, and notes each time it was
 * idle for a while (where a real server would flush or send a heartbeat). The requests still
 * buffered at shutdown are drained, not lost.
 */
public final class ShutdownBySelect {
  private ShutdownBySelect() {}

  /**
   * Runs the server and a client, and checks that every request was served once.
   *
   * @param args ignored
   * @throws Exception if a request was lost or served twice
   */
  public static void main(String[] args) throws Exception {
    Channel<String> requests = Channel.bounded(16);
    Channel<String> shutdown = Channel.rendezvous();

    Thread client =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 10; i++) {
                  requests.send("request-" + i);
                  if (i == 4) {
                    Thread.sleep(120); // a quiet spell: the server's timeout clause fires
                  }
                }
                shutdown.send("stop"); // returns once the server took it: a rendezvous
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    client.start();

    int served = 0;
    int idle = 0;
    boolean running = true;
    while (running) {
      String what =
          Select.select(
              requests.onReceive(r -> "served " + r),
              shutdown.onReceive(s -> "shutdown"),
              Select.onTimeout(Duration.ofMillis(50), () -> "idle"));
      if (what.equals("shutdown")) {
        running = false;
      } else if (what.equals("idle")) {
        idle++;
      } else {
        served++;
      }
    }
    requests.close();
    for (String late : requests) { // drain what was sent before shutdown
      served++;
      System.out.println("   drained " + late);
    }
    client.join();
    System.out.printf(
        "   served %d requests, was idle for 50 ms %d time(s), then shut down%n", served, idle);
    Check.that(served == 10, "all 10 requests served exactly once");
  }
}
