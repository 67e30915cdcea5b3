package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelFlows;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The Java code of the README's Adapters section and of the guide's adapters page, run here with
 * checks of what they say; see {@link JavaSnippetsTest} for how regions and pages are kept equal.
 */
class FlowAdapterSnippetsTest {

  /**
   * The pages' {@code worker}: requests one element at a time, and records them and their threads.
   */
  static final class Worker implements Flow.Subscriber<String> {
    final List<String> got = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(String job) {
      got.add(job);
      threads.add(Thread.currentThread());
      subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      done.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  @Test
  void readmeFlow() throws Exception {
    Worker worker = new Worker();
    // spotless:off
    // snippet: readme-flow
    Channel<String> jobs = Channel.bounded(64);
    SubmissionPublisher<String> producer = new SubmissionPublisher<>();
    producer.subscribe(ChannelFlows.subscriber(jobs));   // requests only what the channel has room for
    producer.submit("resize");
    producer.close();                                    // completes the subscriber, which closes jobs

    ChannelFlows.publisher(jobs).subscribe(worker);      // takes an element only when worker requests it
    // end snippet
    // spotless:on
    worker.done.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("resize"), worker.got);
  }

  @Test
  void adaptersPublisherOnAnExecutor() throws Exception {
    Channel<String> jobs = Channel.bounded(16);
    Worker worker = new Worker();
    // spotless:off
    // snippet: adapters-publisher-executor
    ExecutorService signals = Executors.newSingleThreadExecutor();
    ChannelFlows.publisher(jobs, signals).subscribe(worker);
    jobs.send("resize");                  // returns at once: worker's onNext runs in signals
    jobs.send("crop");
    jobs.close();                         // worker gets onComplete once it has both
    // end snippet
    // spotless:on
    worker.done.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("resize", "crop"), worker.got);
    Thread signalThread = signals.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    assertTrue(worker.threads.stream().allMatch(t -> t == signalThread), worker.threads.toString());
    signals.shutdown();
  }

  @Test
  void adaptersFanIn() throws Exception {
    SubmissionPublisher<String> left = new SubmissionPublisher<>();
    SubmissionPublisher<String> right = new SubmissionPublisher<>();
    // spotless:off
    // snippet: adapters-fan-in
    Channel<String> merged = Channel.bounded(16);
    List<String> unsent = new CopyOnWriteArrayList<>();
    for (SubmissionPublisher<String> source : List.of(left, right)) {
      // closeWhenDone = false: merged stays open when one source completes
      source.subscribe(ChannelFlows.subscriber(merged, 16, false, unsent::add));
    }
    // end snippet
    // spotless:on
    left.submit("l1");
    right.submit("r1");
    left.submit("l2");
    left.close();
    right.submit("r2");
    right.close();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add(merged.receive());
    }
    got.sort(null);
    assertEquals(List.of("l1", "l2", "r1", "r2"), got);
    assertFalse(merged.isClosedForSend(), "both sources completed, and merged is still open");
    assertEquals(List.of(), unsent);
  }

  @Test
  void adaptersFanInAfterTheChannelClosed() {
    Channel<String> merged = Channel.bounded(16);
    List<String> unsent = new CopyOnWriteArrayList<>();
    Flow.Subscriber<String> intoMerged = ChannelFlows.subscriber(merged, 16, false, unsent::add);
    AtomicLong requested = new AtomicLong();
    AtomicBoolean cancelled = new AtomicBoolean();
    intoMerged.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            requested.addAndGet(n);
          }

          @Override
          public void cancel() {
            cancelled.set(true);
          }
        });
    assertTrue(requested.get() > 0);
    merged.close();
    intoMerged.onNext("late");
    assertEquals(List.of("late"), unsent, "an element that found merged closed goes to onUnsent");
    assertTrue(cancelled.get(), "and the subscription is cancelled");
  }
}
