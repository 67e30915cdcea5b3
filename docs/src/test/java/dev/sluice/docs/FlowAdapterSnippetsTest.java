package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelFlows;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java code of the README's Adapters section, run here with checks of what it says; see
 * {@link JavaSnippetsTest} for how regions and pages are kept equal.
 */
class FlowAdapterSnippetsTest {

  /** The README's {@code worker}: requests one element at a time, and records them. */
  static final class Worker implements Flow.Subscriber<String> {
    final List<String> got = new CopyOnWriteArrayList<>();
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
    // snippet: readme-flow
    Channel<String> jobs = Channel.bounded(64);
    SubmissionPublisher<String> producer = new SubmissionPublisher<>();
    producer.subscribe(ChannelFlows.subscriber(jobs));   // requests only what the channel has room for
    producer.submit("resize");
    producer.close();                                    // completes the subscriber, which closes jobs

    ChannelFlows.publisher(jobs).subscribe(worker);      // takes an element only when worker requests it
    // end snippet
    worker.done.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("resize"), worker.got);
  }
}
