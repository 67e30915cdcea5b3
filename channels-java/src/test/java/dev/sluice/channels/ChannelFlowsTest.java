package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every promise of {@link ChannelFlows}' javadoc, one test each. */
class ChannelFlowsTest {

  /** An executor that runs its tasks only when the test says so. */
  static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
    }
  }

  /** A subscription for the subscriber's tests: counts what is requested. */
  static final class Upstream implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    volatile boolean cancelled;

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  @Nested
  class Publisher {

    @Test
    void withoutDemand_takesNothing_andTakesNoMoreThanRequested() throws Exception {
      Channel<Integer> channel = Channel.bounded(8);
      for (int i = 0; i < 5; i++) {
        channel.send(i);
      }
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      assertEquals(5, channel.size(), "nothing requested, nothing taken");
      assertEquals(List.of(), recorder.items());

      recorder.request(2);
      assertEquals(
          List.of(0, 1), recorder.items(), "buffered elements come in the requesting thread");
      assertEquals(3, channel.size());
      assertFalse(recorder.done.isDone());
    }

    @Test
    void onAnEmptyChannel_oneReceiveWaits_andTakesOneElement() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(1);
      channel.send(7);
      channel.send(8);
      assertEquals(List.of(7), recorder.items(), "delivered in the sending thread");
      assertEquals(1, channel.size(), "the second element was not requested, so not taken");
      assertEquals(8, channel.tryReceive());
    }

    @Test
    void onARendezvousChannel_aSendMeetsTheWaitingReceiveOnly() {
      Channel<String> channel = Channel.rendezvous();
      FlowRecorder<String> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      assertFalse(channel.trySend("unasked"), "no demand: no receive waits");
      recorder.request(1);
      assertTrue(channel.trySend("asked"));
      assertFalse(channel.trySend("beyond the demand"));
      assertEquals(List.of("asked"), recorder.items());
    }

    @Test
    void closedAndDrained_completes_evenWithoutDemand() throws Exception {
      Channel<Integer> channel = Channel.bounded(4);
      channel.send(1);
      channel.send(2);
      channel.close();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(5);
      assertNull(recorder.awaitDone());
      assertEquals(List.of(1, 2), recorder.items());

      FlowRecorder<Integer> late = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(late);
      assertTrue(late.done.isDone(), "onComplete right after onSubscribe, with no request");
      assertNull(late.awaitDone());
      assertFalse(recorder.brokeTheRules() || late.brokeTheRules());
    }

    @Test
    void aWaitingReceive_completesWhenTheChannelCloses() {
      Channel<Integer> channel = Channel.rendezvous();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(1);
      channel.close();
      assertNull(recorder.awaitDone());
    }

    @Test
    void aSubscriberWithoutDemand_learnsOfALaterCloseAtItsNextRequest() {
      Channel<Integer> channel = Channel.unbounded();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      channel.close();
      assertFalse(recorder.done.isDone());
      recorder.request(1);
      assertNull(recorder.awaitDone());
    }

    @Test
    void closedWithACause_signalsOnErrorWithTheCause_afterTheBufferedElements() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      channel.send(1);
      IllegalStateException why = new IllegalStateException("producer failed");
      channel.close(why);
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(1);
      assertEquals(List.of(1), recorder.items());
      assertSame(why, recorder.awaitDone(), "drained by that element: the end needs no demand");

      Channel<Integer> waiting = Channel.rendezvous();
      FlowRecorder<Integer> second = new FlowRecorder<>();
      ChannelFlows.publisher(waiting).subscribe(second);
      second.request(1);
      waiting.close(why);
      assertSame(why, second.awaitDone(), "the waiting receive failed with the cause");
    }

    @Test
    void aCancelledChannel_signalsOnErrorWithACancellationException() {
      Channel<Integer> channel = Channel.unbounded();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(1);
      channel.cancel();
      assertInstanceOf(CancellationException.class, recorder.awaitDone());
    }

    @Test
    void cancel_withdrawsTheWaitingReceive() throws Exception {
      Channel<Integer> channel = Channel.rendezvous();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(3);
      recorder.cancel();
      assertFalse(channel.trySend(1), "no receive waits any more");
      recorder.request(1); // a no-op after cancel (rule 3.6)
      assertFalse(channel.trySend(1));
      assertEquals(List.of(), recorder.items());
      assertFalse(recorder.done.isDone(), "a cancelled subscription is not signalled (rule 3.12)");
    }

    @Test
    void cancel_afterAnElementWasTakenAndBeforeItWasSignalled_givesItBackAtTheHead()
        throws Exception {
      Channel<Integer> channel = Channel.bounded(4);
      ManualExecutor executor = new ManualExecutor();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel, executor).subscribe(recorder);
      executor.runAll(); // onSubscribe
      recorder.request(1);
      executor.runAll(); // the receive now waits
      channel.send(1); // taken by the waiting receive; its signal waits for the executor
      channel.send(2);
      assertEquals(1, channel.size(), "1 was taken");
      recorder.cancel();
      executor.runAll();
      assertEquals(List.of(), recorder.items(), "not signalled after the cancel");
      assertEquals(2, channel.size());
      assertEquals(1, channel.receive(), "given back ahead of what was buffered");
      assertEquals(2, channel.receive());
    }

    @Test
    void cancel_fromOnNext_stopsTheSignalsAtOnce() throws Exception {
      Channel<Integer> channel = Channel.bounded(8);
      for (int i = 0; i < 5; i++) {
        channel.send(i);
      }
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      recorder.onNext(e -> recorder.cancel());
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(10);
      assertEquals(List.of(0), recorder.items());
      assertEquals(4, channel.size());
    }

    @Test
    void subscribersCompete_eachElementGoesToOneOfThem_inOrder() throws Exception {
      Channel<Integer> channel = Channel.bounded(16);
      Flow.Publisher<Integer> publisher = ChannelFlows.publisher(channel);
      List<FlowRecorder<Integer>> recorders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        FlowRecorder<Integer> recorder = new FlowRecorder<>();
        publisher.subscribe(recorder);
        recorder.request(i == 0 ? Long.MAX_VALUE : 1);
        recorders.add(recorder);
      }
      // The two subscribers that ask one at a time ask again from onNext.
      for (int i = 1; i < 3; i++) {
        FlowRecorder<Integer> r = recorders.get(i);
        r.onNext(e -> r.request(1));
      }
      int n = 20_000;
      TestThreads.Started<Void> producer =
          TestThreads.start(
              () -> {
                for (int i = 0; i < n; i++) {
                  channel.send(i);
                }
                channel.close();
                return null;
              });
      producer.join();
      List<Integer> all = new ArrayList<>();
      for (FlowRecorder<Integer> r : recorders) {
        assertNull(r.awaitDone());
        List<Integer> got = r.items();
        assertEquals(
            got.stream().sorted().collect(Collectors.toList()), got, "FIFO per subscriber");
        all.addAll(got);
        assertFalse(r.brokeTheRules());
      }
      assertEquals(n, all.size(), "nothing duplicated");
      assertEquals(new HashSet<>(range(0, n)), new HashSet<>(all), "nothing lost");
    }

    @Test
    void requestOfZeroOrLess_signalsIllegalArgumentException_andTakesNothing() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      channel.send(1);
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(0);
      Throwable failure = recorder.awaitDone();
      assertInstanceOf(IllegalArgumentException.class, failure);
      assertTrue(failure.getMessage().contains("3.9"));
      assertEquals(1, channel.size());
    }

    @Test
    void demand_addsUpToUnbounded_withoutOverflow() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(channel).subscribe(recorder);
      recorder.request(Long.MAX_VALUE);
      recorder.request(Long.MAX_VALUE);
      for (int i = 0; i < 100; i++) {
        channel.send(i);
      }
      assertEquals(range(0, 100), recorder.items());
      assertFalse(recorder.done.isDone());
    }

    @Test
    void withAnExecutor_everySignalRunsOnIt() throws Exception {
      ExecutorService pool =
          Executors.newSingleThreadExecutor(task -> new Thread(task, "flow-signals"));
      try {
        Channel<Integer> channel = Channel.bounded(4);
        FlowRecorder<Integer> recorder = new FlowRecorder<>();
        ChannelFlows.publisher(channel, pool).subscribe(recorder);
        // One more than is sent: a subscription with no demand left learns of the close only at
        // its next request (see ChannelFlows.publisher), and with exactly 10 the close may come
        // after the tenth element, and onComplete never.
        recorder.request(11);
        for (int i = 0; i < 10; i++) {
          channel.send(i);
        }
        channel.close();
        assertNull(recorder.awaitDone());
        assertEquals(range(0, 10), recorder.items());
        assertEquals(Set.of("flow-signals"), new HashSet<>(recorder.threads));
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void anExecutorThatRejects_failsTheSubscription_andKeepsTheElements() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      channel.send(1);
      FlowRecorder<Integer> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(
              channel,
              task -> {
                throw new RejectedExecutionException("full");
              })
          .subscribe(recorder);
      assertInstanceOf(RejectedExecutionException.class, recorder.awaitDone());
      assertEquals(1, channel.size());
    }

    @Test
    void anOnNextThatThrows_cancelsTheSubscription_andGoesToTheUncaughtHandler() throws Exception {
      Channel<Integer> channel = Channel.unbounded();
      for (int i = 0; i < 3; i++) {
        channel.send(i);
      }
      ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
      TestThreads.Started<FlowRecorder<Integer>> run =
          TestThreads.start(
              () -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                FlowRecorder<Integer> recorder = new FlowRecorder<>();
                recorder.onNext(
                    e -> {
                      throw new IllegalStateException("bad subscriber");
                    });
                ChannelFlows.publisher(channel).subscribe(recorder);
                recorder.request(3);
                return recorder;
              });
      FlowRecorder<Integer> recorder = run.join();
      assertEquals(List.of(0), recorder.items(), "0 was delivered: onNext was called with it");
      assertEquals(1, uncaught.size());
      assertEquals(2, channel.size(), "the rest stay in the channel");
    }

    @Test
    void overAOneshot_publishesItsValueThenCompletes() throws Exception {
      Oneshot<String> reply = Oneshot.create();
      FlowRecorder<String> recorder = new FlowRecorder<>();
      ChannelFlows.publisher(reply).subscribe(recorder);
      recorder.request(5);
      reply.send("answer");
      assertNull(recorder.awaitDone());
      assertEquals(List.of("answer"), recorder.items());
    }

    @Test
    void rejectsNullsAndReceiversThatAreNotSluices() {
      @SuppressWarnings("unchecked")
      Receiver<String> foreign =
          (Receiver<String>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Receiver.class},
                  (proxy, method, args) -> null);
      assertThrows(IllegalArgumentException.class, () -> ChannelFlows.publisher(foreign));
      assertThrows(NullPointerException.class, () -> ChannelFlows.publisher(null));
      Channel<String> channel = Channel.unbounded();
      assertThrows(NullPointerException.class, () -> ChannelFlows.publisher(channel, null));
      assertThrows(
          NullPointerException.class, () -> ChannelFlows.publisher(channel).subscribe(null));
    }
  }

  @Nested
  class Subscriber {

    @Test
    void requestsOnlyTheRoomTheChannelHas_andMoreOnlyAsItTakesElements() throws Exception {
      Channel<Integer> channel = Channel.bounded(4);
      channel.send(-1); // room for 3
      Flow.Subscriber<Integer> subscriber = ChannelFlows.subscriber(channel, 64);
      Upstream upstream = new Upstream();
      subscriber.onSubscribe(upstream);
      assertEquals(3, upstream.requested.get());
      subscriber.onNext(0);
      subscriber.onNext(1);
      assertEquals(3, upstream.requested.get(), "half the limit still in hand");
      subscriber.onNext(2);
      assertEquals(4, channel.size());
      assertEquals(4, upstream.requested.get(), "full: one at a time, to offer it with sendAsync");
      subscriber.onNext(3); // waits for room, without blocking this thread
      assertEquals(4, channel.size());
      assertEquals(4, upstream.requested.get(), "nothing more until the channel takes it");
      assertEquals(-1, channel.receive());
      assertEquals(4, channel.size(), "3 took the room");
      assertEquals(5, upstream.requested.get());
      assertFalse(upstream.cancelled);
    }

    @Test
    void onARendezvousChannel_requestsOneAtATime() throws Exception {
      Channel<String> channel = Channel.rendezvous();
      Flow.Subscriber<String> subscriber = ChannelFlows.subscriber(channel);
      Upstream upstream = new Upstream();
      subscriber.onSubscribe(upstream);
      assertEquals(1, upstream.requested.get());
      long start = System.nanoTime();
      subscriber.onNext("a"); // no receiver: the element waits in a sendAsync
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "onNext did not block");
      assertEquals(1, upstream.requested.get());
      assertEquals("a", channel.receive());
      assertEquals(2, upstream.requested.get());
    }

    @Test
    void withABatch_requestsAtMostTheBatchAhead() {
      Channel<Integer> channel = Channel.unbounded();
      Flow.Subscriber<Integer> subscriber = ChannelFlows.subscriber(channel, 10);
      Upstream upstream = new Upstream();
      subscriber.onSubscribe(upstream);
      assertEquals(10, upstream.requested.get());
      for (int i = 0; i < 4; i++) {
        subscriber.onNext(i);
      }
      assertEquals(10, upstream.requested.get());
      subscriber.onNext(4); // 5 of 10 left in hand: top up to 10
      assertEquals(15, upstream.requested.get());
      assertEquals(5, channel.size());
    }

    @Test
    void onComplete_sendsWhatItHolds_thenClosesTheSender() throws Exception {
      Channel<String> channel = Channel.rendezvous();
      Flow.Subscriber<String> subscriber = ChannelFlows.subscriber(channel);
      Upstream upstream = new Upstream();
      subscriber.onSubscribe(upstream);
      subscriber.onNext("last");
      subscriber.onComplete();
      assertFalse(channel.isClosedForSend(), "'last' is not sent yet");
      assertEquals("last", channel.receive());
      assertTrue(channel.isClosedForSend());
      assertTrue(channel.isClosedForReceive());
      assertNull(assertThrows(ChannelClosedException.class, channel::receive).getCause());
      assertFalse(upstream.cancelled);
    }

    @Test
    void onError_closesTheSenderWithTheCause() throws Exception {
      Channel<String> channel = Channel.bounded(2);
      Flow.Subscriber<String> subscriber = ChannelFlows.subscriber(channel);
      subscriber.onSubscribe(new Upstream());
      subscriber.onNext("before");
      IllegalStateException why = new IllegalStateException("upstream failed");
      subscriber.onError(why);
      assertEquals("before", channel.receive());
      assertSame(why, assertThrows(ChannelClosedException.class, channel::receive).getCause());
    }

    @Test
    void withoutCloseWhenDone_theSenderStaysOpen_forOtherPublishers() throws Exception {
      Channel<String> channel = Channel.unbounded();
      Flow.Subscriber<String> first = ChannelFlows.subscriber(channel, 4, false, e -> {});
      Flow.Subscriber<String> second = ChannelFlows.subscriber(channel, 4, false, e -> {});
      first.onSubscribe(new Upstream());
      second.onSubscribe(new Upstream());
      first.onNext("a");
      first.onComplete();
      second.onNext("b");
      second.onError(new IllegalStateException("ignored"));
      assertFalse(channel.isClosedForSend());
      assertEquals(List.of("a", "b"), List.of(channel.receive(), channel.receive()));
    }

    @Test
    void aChannelClosedUnderneath_cancelsTheSubscription_andHandsEveryUnsentElementOver()
        throws Exception {
      Channel<String> channel = Channel.rendezvous();
      List<String> unsent = new ArrayList<>();
      Flow.Subscriber<String> subscriber = ChannelFlows.subscriber(channel, 4, true, unsent::add);
      Upstream upstream = new Upstream();
      subscriber.onSubscribe(upstream);
      subscriber.onNext("waiting");
      channel.close();
      assertTrue(upstream.cancelled);
      assertEquals(List.of("waiting"), unsent);
      subscriber.onNext("late"); // after the cancel, as rule 2.8 allows
      assertEquals(List.of("waiting", "late"), unsent);

      Channel<String> closed = Channel.bounded(4);
      closed.close();
      List<String> unsentToo = new ArrayList<>();
      Flow.Subscriber<String> other = ChannelFlows.subscriber(closed, 4, true, unsentToo::add);
      Upstream upstreamToo = new Upstream();
      other.onSubscribe(upstreamToo);
      assertTrue(upstreamToo.cancelled, "closed already: nothing is requested");
      assertEquals(0, upstreamToo.requested.get());
    }

    @Test
    void aSenderOfAnotherKindThatThrows_isTreatedAsClosed_andOnNextDoesNotThrow() throws Exception {
      @SuppressWarnings("unchecked")
      Sender<String> broken =
          (Sender<String>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Sender.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("trySend")) {
                      throw new IllegalStateException("broken sender");
                    }
                    return method.getName().equals("isClosedForSend") ? false : null;
                  });
      List<String> unsent = new ArrayList<>();
      ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
      Upstream upstream = new Upstream();
      TestThreads.start(
              () -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                Flow.Subscriber<String> subscriber =
                    ChannelFlows.subscriber(broken, 4, true, unsent::add);
                subscriber.onSubscribe(upstream);
                subscriber.onNext("x");
                return null;
              })
          .join();
      assertEquals(List.of("x"), unsent);
      assertTrue(upstream.cancelled);
      assertEquals("broken sender", uncaught.peek().getMessage());
    }

    @Test
    void aSecondOnSubscribe_isCancelled() {
      Flow.Subscriber<Integer> subscriber = ChannelFlows.subscriber(Channel.unbounded());
      Upstream first = new Upstream();
      Upstream second = new Upstream();
      subscriber.onSubscribe(first);
      subscriber.onSubscribe(second);
      assertFalse(first.cancelled);
      assertTrue(second.cancelled);
      assertEquals(0, second.requested.get());
    }

    @Test
    void rejectsNullsAndABatchBelowOne() {
      Channel<Integer> channel = Channel.unbounded();
      Flow.Subscriber<Integer> subscriber = ChannelFlows.subscriber(channel);
      assertThrows(NullPointerException.class, () -> subscriber.onSubscribe(null));
      subscriber.onSubscribe(new Upstream());
      assertThrows(NullPointerException.class, () -> subscriber.onNext(null));
      assertThrows(NullPointerException.class, () -> subscriber.onError(null));
      assertThrows(IllegalArgumentException.class, () -> ChannelFlows.subscriber(channel, 0));
      assertThrows(NullPointerException.class, () -> ChannelFlows.subscriber(null));
      assertThrows(
          NullPointerException.class, () -> ChannelFlows.subscriber(channel, 1, true, null));
    }
  }

  @Test
  void aPipeline_movesEveryElementInOrder_andClosesItsEnd() throws Exception {
    Channel<Integer> source = Channel.bounded(4);
    Channel<Integer> sink = Channel.bounded(3);
    ChannelFlows.publisher(source).subscribe(ChannelFlows.subscriber(sink, 5));
    int n = 20_000;
    TestThreads.Started<Void> producer =
        TestThreads.start(
            () -> {
              for (int i = 0; i < n; i++) {
                source.send(i);
              }
              source.close(new IllegalStateException("end of input"));
              return null;
            });
    List<Integer> got = new ArrayList<>();
    ChannelClosedException end =
        assertThrows(
            ChannelClosedException.class,
            () -> {
              while (true) {
                Integer e = sink.receive(Duration.ofSeconds(10));
                if (e == null) {
                  throw new AssertionError("stalled after " + got.size());
                }
                got.add(e);
              }
            });
    producer.join();
    assertEquals(range(0, n), got);
    assertEquals("end of input", end.getCause().getMessage());
  }
}
