package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.channels.Broadcast;
import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.ChannelHandles;
import dev.sluice.channels.LaggedException;
import dev.sluice.channels.Oneshot;
import dev.sluice.channels.Permit;
import dev.sluice.channels.Select;
import dev.sluice.channels.SenderHandle;
import dev.sluice.channels.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The Java code of the pages, each region between {@code // snippet: name} and {@code // end
 * snippet} shown word for word on a page ({@link PagesTest} checks it), and run here with checks of
 * what the page says it does.
 */
class JavaSnippetsTest {

  record Config(int workers) {
    static Config defaults() {
      return new Config(4);
    }
  }

  record Event(String name) {}

  @Test
  void readmeJava() throws Exception {
    List<String> served = new ArrayList<>();
    // spotless:off
    // snippet: readme-java
    Channel<String> orders = Channel.bounded(64);          // waits when 64 orders wait

    new Thread(() -> {
        try {
            for (String o : List.of("tea", "cake")) orders.send(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            orders.close();                                // no more orders: receivers finish
        }
    }).start();
    // end snippet
    // spotless:on
    for (String order : orders) {
      served.add(order);
    }
    assertEquals(List.of("tea", "cake"), served);
  }

  record Get(String key, Oneshot<String> reply) {}

  /** The actor of the README's example: a thread that answers every {@link Get}. */
  private static Thread startActor(Channel<Get> requests) {
    Thread actor =
        new Thread(
            () -> {
              for (Get get : requests) {
                get.reply().send(get.key().equals("colour") ? "blue" : "unknown");
              }
            });
    actor.start();
    return actor;
  }

  @Test
  void readmeOneshot() throws Exception {
    // spotless:off
    // snippet: readme-oneshot
    Channel<Get> requests = Channel.bounded(64);
    Thread actor = startActor(requests);              // a thread or coroutine that answers each Get
    Oneshot<String> reply = Oneshot.create();
    requests.send(new Get("colour", reply));
    String colour = reply.receive();                  // the actor's reply.send(...), or its failure
    // end snippet
    // spotless:on
    assertEquals("blue", colour);
    requests.close();
    actor.join();
  }

  /** The README's administrator: a thread that sets a new {@link Config} every few ms. */
  private static Thread startAdmin(Watch<Config> config, AtomicBoolean done) {
    Thread admin =
        new Thread(
            () -> {
              for (int n = 5; !done.get(); n++) {
                config.set(new Config(n));
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    admin.start();
    return admin;
  }

  @Test
  void readmeWatch() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    // spotless:off
    // snippet: readme-watch
    Watch<Config> config = Watch.create(Config.defaults());
    Thread admin = startAdmin(config, done);        // sets a new Config now and then
    try (Watch.Reader<Config> reader = config.subscribe()) {
        Config now = reader.getAndMark();           // the current value, marked as seen
        Config next = reader.changed();             // waits for the next set(...) by anyone
        System.out.println(now + " -> " + next);
    }
    // end snippet
    // spotless:on
    done.set(true);
    admin.join();
    assertTrue(config.get().workers() > 4, "the admin changed it");
    assertEquals(0, config.readerCount(), "the reader was closed");
  }

  @Test
  void readmeBroadcast() throws Exception {
    // spotless:off
    // snippet: readme-broadcast
    Broadcast<Event> events = Broadcast.create(1024);
    try (Broadcast.Subscriber<Event> audit = events.subscribe()) {
        events.send(new Event("login"));            // returns how many subscribers will see it
        Event e = audit.receive();                  // throws LaggedException if audit fell behind
        System.out.println("audit: " + e);
    }
    // end snippet
    // spotless:on
    assertEquals(0, events.subscriberCount());
  }

  @Test
  void quickStartJava() throws Exception {
    // spotless:off
    // snippet: quick-start-java
    List<String> shipped = new ArrayList<>();
    Channel<String> lines = Channel.bounded(64);        // holds up to 64 lines

    Thread reader = new Thread(() -> {
        try {
            for (String line : List.of("GET /", "GET /about", "POST /login")) {
                lines.send(line);                       // waits while 64 lines are waiting
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lines.close();                              // no more lines: the loop below ends
        }
    });
    reader.start();

    for (String line : lines) {                         // receives until closed and drained
        shipped.add(line.toLowerCase());
    }
    // end snippet
    // spotless:on
    reader.join();
    assertEquals(List.of("get /", "get /about", "post /login"), shipped);
  }

  @Test
  void quickStartFutures() throws Exception {
    Channel<String> lines = Channel.bounded(64);
    // spotless:off
    // snippet: quick-start-futures
    CompletableFuture<Void> sent = lines.sendAsync("GET /");   // done once the line is in
    CompletableFuture<String> next = lines.receiveAsync();     // done once a line is there
    String line = next.thenApply(String::toLowerCase).get(1, TimeUnit.SECONDS);
    // end snippet
    // spotless:on
    assertTrue(sent.isDone());
    assertEquals("get /", line);
  }

  @Test
  void choosingFactories() {
    // spotless:off
    // snippet: choosing-factories
    Channel<String> handOff = Channel.rendezvous();          // a send waits for a receive
    Channel<String> jobs = Channel.bounded(256);             // a send waits while 256 wait
    Channel<String> log = Channel.unbounded();               // a send never waits: mind memory
    Channel<String> latest = Channel.<String>builder()       // keeps the newest 16, drops the rest
        .capacity(16)
        .overflow(BufferOverflow.DROP_OLDEST)
        .onUndeliveredElement(dropped -> System.out.println("dropped " + dropped))
        .build();
    // end snippet
    // spotless:on
    assertEquals(0, handOff.capacity());
    assertEquals(256, jobs.capacity());
    assertTrue(log.trySend("x"));
    for (int i = 0; i < 20; i++) {
      assertTrue(latest.trySend("e" + i), "a dropping channel always takes the element");
    }
    assertEquals("e4", latest.tryReceive());
  }

  @Test
  void facesVirtualThreads() throws Exception {
    ExecutorService executor = virtualThreadsOrNull();
    assumeTrue(executor != null, "virtual threads need JDK 21+ (CI's JDK 25 pass runs this)");
    Channel<Integer> results = Channel.bounded(16);
    try {
      // spotless:off
      // snippet: faces-virtual-threads
      for (int i = 0; i < 1_000; i++) {
          int n = i;
          executor.submit(() -> {
              results.send(n * n);                    // a virtual thread parks, its carrier does not
              return null;
          });
      }
      long sum = 0;
      for (int i = 0; i < 1_000; i++) {
          sum += results.receive();
      }
      // end snippet
      // spotless:on
      assertEquals(332_833_500L, sum);
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void facesBatches() throws Exception {
    Channel<String> events = Channel.bounded(1024);
    List<String> sent = List.of("a", "b", "c", "d", "e");
    // spotless:off
    // snippet: faces-batches
    int n = events.sendAll(sent);                          // one send after another, in order

    List<String> batch = new ArrayList<>(64);
    while (batch.size() < n) {
        events.receiveMany(batch, 64);                     // waits for one, takes up to 64 at once
    }
    // end snippet
    // spotless:on
    assertEquals(5, n);
    assertEquals(sent, batch);
  }

  @Test
  void ownershipProducers() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      // spotless:off
      // snippet: ownership-producers
      Channel<String> lines = Channel.bounded(16);
      List<SenderHandle<String>> producers =                // all made before any producer starts
          List.of(lines.newSender(), lines.newSender(), lines.newSender());
      for (SenderHandle<String> tx : producers) {
          executor.submit(() -> {
              try (tx) {                                     // the last one to close closes lines
                  tx.send("hello from " + Thread.currentThread().getName());
              }
              return null;
          });
      }
      int received = 0;
      for (String line : lines) {                            // ends once every producer is done
          received++;
      }
      // end snippet
      // spotless:on
      assertEquals(3, received);
      assertTrue(lines.isClosedForReceive());
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void permitsForward() throws Exception {
    Channel<String> upstream = Channel.bounded(4);
    Channel<String> downstream = Channel.bounded(2);
    upstream.send("a");
    upstream.send("b");
    upstream.close();
    List<String> passedOn = new ArrayList<>();
    // spotless:off
    // snippet: permits-forward
    while (true) {
        Permit<String> place = Select.select(                 // wait for room downstream...
            downstream.onReserve(permit -> permit),
            Select.onTimeout(Duration.ofSeconds(1), () -> null));
        if (place == null) {
            break;                                           // ...or give up: nothing was taken
        }
        try (place) {                                        // an unsent place goes back
            String job = upstream.receive();                 // take only what can be passed on
            place.send(job.toUpperCase());                   // never waits, never fails for room
        } catch (ChannelClosedException upstreamDone) {
            break;
        }
        passedOn.add(downstream.receive());
    }
    // end snippet
    // spotless:on
    assertEquals(List.of("A", "B"), passedOn);
    assertTrue(downstream.trySend("c"), "the last, unsent place went back");
    assertTrue(downstream.trySend("d"));
    assertFalse(downstream.trySend("e"));
  }

  @Test
  void permitsAccounting() throws Exception {
    // spotless:off
    // snippet: permits-accounting
    Channel<Integer> ch = Channel.bounded(2);
    Permit<Integer> held = ch.reserve();                     // one of two places is held
    ch.send(1);                                             // the other one
    assertFalse(ch.trySend(2));                             // full: buffered + held = capacity
    assertEquals(1, ch.size());                             // a held place is not an element
    held.send(3);                                           // never waits
    List<Permit<Integer>> two = ch.tryReserveMany(2);       // all or nothing
    assertNull(two);
    // end snippet
    // spotless:on
    assertEquals(1, ch.receive());
    assertEquals(3, ch.receive());
    assertThrows(UnsupportedOperationException.class, () -> Channel.rendezvous().reserve());
  }

  @Test
  void ownershipReceivers() throws Exception {
    // spotless:off
    // snippet: ownership-receivers
    ChannelHandles<String> requests = Channel.handles(8);   // only the handles own this channel
    try (SenderHandle<String> tx = requests.sender()) {
        CompletableFuture<Void> nobodyListens = tx.closed();
        requests.receiver().close();                           // the last receiver goes away...
        nobodyListens.get(1, TimeUnit.SECONDS);                // ...and the producer learns it
        assertThrows(ChannelClosedException.class, () -> tx.send("too late"));
    }
    // end snippet
    // spotless:on
  }

  @Test
  void selectJava() throws Exception {
    Channel<String> orders = Channel.bounded(8);
    Channel<String> shutdown = Channel.rendezvous();
    orders.send("order 1");
    // spotless:off
    // snippet: select-java
    String next = Select.select(
        shutdown.onReceive(reason -> "stopping: " + reason),
        orders.onReceive(order -> "handling " + order),
        Select.onTimeout(Duration.ofSeconds(1), () -> "idle"));
    // end snippet
    // spotless:on
    assertEquals("handling order 1", next);
    assertEquals(
        "idle",
        Select.select(
            shutdown.onReceive(reason -> "stopping: " + reason),
            orders.onReceive(order -> "handling " + order),
            Select.onTimeout(Duration.ofMillis(10), () -> "idle")));
  }

  @Test
  void selectSendJava() throws Exception {
    Channel<String> fast = Channel.bounded(1);
    Channel<String> slow = Channel.bounded(1);
    fast.send("busy");
    String event = "event";
    // spotless:off
    // snippet: select-send-java
    String where = Select.select(
        fast.onSend(event, () -> "fast"),                 // whichever has room first
        slow.onSend(event, () -> "slow"),
        Select.orElse(() -> "dropped"));                   // neither has room now: do not wait
    // end snippet
    // spotless:on
    assertEquals("slow", where);
    assertEquals("busy", fast.tryReceive());
    assertEquals("event", slow.tryReceive());
    assertNull(slow.tryReceive(), "the losing clause sent nothing");
  }

  @Test
  void selectAsyncJava() throws Exception {
    Channel<String> a = Channel.rendezvous();
    Channel<String> b = Channel.bounded(1);
    // spotless:off
    // snippet: select-async-java
    CompletableFuture<String> first = Select.selectAsync(
        a.onReceive(x -> "a: " + x),
        b.onReceive(x -> "b: " + x));
    b.send("hello");                                   // completes the future, in this thread
    // end snippet
    // spotless:on
    assertEquals("b: hello", first.get(1, TimeUnit.SECONDS));
  }

  @Test
  void closingJava() throws Exception {
    // spotless:off
    // snippet: closing-java
    Channel<String> work = Channel.bounded(4);
    work.send("a");
    work.send("b");
    work.close();                                     // no more sends; what is buffered stays

    assertEquals("a", work.receive());                // receivers drain what was sent
    assertEquals("b", work.receive());
    assertThrows(ChannelClosedException.class, work::receive);   // then fail, never wait
    assertThrows(ChannelClosedException.class, () -> work.send("c"));
    // end snippet
    // spotless:on
  }

  @Test
  void closingCauseJava() throws Exception {
    // spotless:off
    // snippet: closing-cause-java
    Channel<String> rows = Channel.bounded(4);
    rows.close(new java.io.IOException("disk full"));       // a failure, for every receiver to see

    ChannelClosedException e = assertThrows(ChannelClosedException.class, rows::receive);
    assertEquals("disk full", e.getCause().getMessage());
    // end snippet
    // spotless:on
  }

  @Test
  void cancelJava() throws Exception {
    // spotless:off
    // snippet: cancel-java
    List<String> undelivered = new ArrayList<>();
    Channel<String> uploads = Channel.<String>builder()
        .capacity(8)
        .onUndeliveredElement(undelivered::add)       // every element sent and never received
        .build();
    uploads.send("a.png");
    uploads.send("b.png");
    uploads.cancel();                                 // close, and discard what is buffered

    assertEquals(List.of("a.png", "b.png"), undelivered);
    // end snippet
    // spotless:on
  }

  @Test
  void withdrawnJava() throws Exception {
    Channel<String> ch = Channel.rendezvous();
    // spotless:off
    // snippet: withdrawn-java
    boolean sent = ch.send("ping", Duration.ofMillis(10));  // nobody received it in time
    assertFalse(sent);                                       // so it was not sent: retry, or keep it

    CompletableFuture<String> receipt = ch.receiveAsync();
    if (receipt.cancel(false)) {
        // cancel returned true: the receive did not happen, no element was taken
    }
    // end snippet
    // spotless:on
    assertTrue(receipt.isCancelled());
    assertTrue(ch.trySend("x") == false, "no receiver waits any more");
  }

  @Test
  void pitfallCallbacks() throws Exception {
    Channel<String> ch = Channel.bounded(1);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      // spotless:off
      // snippet: pitfall-callbacks
      CompletableFuture<Integer> length = ch.receiveAsync()
          .thenApplyAsync(String::length, workers);   // runs on the pool, not in the sender's thread
      ch.send("hello");                               // without Async, length() would run right here
      // end snippet
      // spotless:on
      assertEquals(5, length.get(1, TimeUnit.SECONDS));
    } finally {
      workers.shutdown();
    }
  }

  @Test
  void pitfallNeverClosed() throws Exception {
    Channel<Integer> numbers = Channel.bounded(4);
    List<Integer> got = new ArrayList<>();
    // spotless:off
    // snippet: pitfall-never-closed
    Thread producer = new Thread(() -> {
        try {
            for (int i = 0; i < 3; i++) numbers.send(i);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            numbers.close();        // without this, the loop below would wait for ever
        }
    });
    producer.start();
    for (int n : numbers) got.add(n);
    // end snippet
    // spotless:on
    producer.join();
    assertEquals(List.of(0, 1, 2), got);
  }

  @Test
  void kindsJava() throws Exception {
    // spotless:off
    // snippet: kinds-broadcast-lag
    Broadcast<Integer> ticks = Broadcast.create(2);           // holds the last 2 for slow readers
    Broadcast.Subscriber<Integer> slow = ticks.subscribe();
    for (int i = 0; i < 5; i++) ticks.send(i);

    LaggedException lag = assertThrows(LaggedException.class, slow::receive);
    assertEquals(3, lag.missed());                             // 0, 1 and 2 were overwritten
    assertEquals(3, slow.receive());                           // on from the oldest still held
    Broadcast.Received<Integer> next = slow.tryReceive();      // try and futures: a result
    assertEquals(4, next.value());
    // end snippet
    // spotless:on
  }

  private static ExecutorService virtualThreadsOrNull() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
