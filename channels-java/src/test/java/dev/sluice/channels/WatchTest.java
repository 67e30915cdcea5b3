package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every promise of {@link Watch}'s javadoc, one test each. */
class WatchTest {

  @Test
  void readersReadTheCurrentValueAtAnyTime() {
    Watch<String> config = Watch.create("v1");
    Watch.Reader<String> reader = config.subscribe();
    assertEquals("v1", config.get());
    assertEquals("v1", reader.get());
    config.set("v2");
    assertEquals("v2", reader.get());
    assertTrue(reader.hasChanged(), "get does not mark");
  }

  @Test
  void aNewReaderHasSeenTheCurrentValue_andChangedWaitsForTheNext() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    assertFalse(reader.hasChanged());
    assertNull(reader.tryChanged());
    TestThreads.Started<Integer> waiting = TestThreads.start(reader::changed).awaitParked();
    watch.set(1);
    assertEquals(1, waiting.join());
    assertFalse(reader.hasChanged(), "changed marks what it returns");
  }

  @Test
  void severalChangesBetweenTwoReadsAreSeenAsOne_theLatest() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    watch.set(1);
    watch.set(2);
    watch.set(3);
    assertEquals(3, reader.changed());
    assertNull(reader.changed(Duration.ofMillis(1)), "nothing newer");
  }

  @Test
  void getAndMarkMarksTheCurrentValueAsSeen() {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    watch.set(5);
    assertEquals(5, reader.getAndMark());
    assertFalse(reader.hasChanged());
    assertNull(reader.tryChanged());
  }

  @Test
  void setMarksAChangeEvenForAnEqualValue_setIfChangedDoesNot() {
    Watch<String> watch = Watch.create("same");
    Watch.Reader<String> reader = watch.subscribe();
    assertFalse(watch.setIfChanged("same"));
    assertFalse(reader.hasChanged());
    assertTrue(watch.setIfChanged("other"));
    assertEquals("other", reader.tryChanged());
    watch.set("other");
    assertEquals("other", reader.tryChanged());
  }

  @Test
  void updateAppliesTheFunctionAtomically_andAFailingOneChangesNothing() throws Exception {
    Watch<Integer> counter = Watch.create(0);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  counter.update(x -> x + 1);
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(40_000, counter.get());
    Watch.Reader<Integer> reader = counter.subscribe();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            counter.update(
                x -> {
                  throw new IllegalArgumentException("no");
                }));
    assertThrows(NullPointerException.class, () -> counter.update(x -> null));
    assertEquals(40_000, counter.get());
    assertFalse(reader.hasChanged());
  }

  @Test
  void closeReleasesWaitingReaders_afterTheLastValueIsSeen() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> waitingReader = watch.subscribe();
    Watch.Reader<Integer> laggingReader = watch.subscribe();
    TestThreads.Started<Integer> waiting = TestThreads.start(waitingReader::changed).awaitParked();
    watch.set(1);
    assertEquals(1, waiting.join());
    waiting = TestThreads.start(waitingReader::changed).awaitParked();
    assertTrue(watch.close());
    assertThrows(ChannelClosedException.class, waiting::join);
    assertEquals(1, laggingReader.changed(), "the last value, once more");
    assertThrows(ChannelClosedException.class, laggingReader::changed);
    assertThrows(ChannelClosedException.class, laggingReader::hasChanged);
    assertEquals(1, watch.get(), "the last value stays readable");
    assertThrows(ChannelClosedException.class, () -> watch.set(2));
    assertFalse(watch.close());
    assertThrows(ChannelClosedException.class, () -> watch.subscribe().changed());
  }

  @Test
  void aFutureCompletesOnChange_andACancelledOneMarksNothing() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    CompletableFuture<Integer> abandoned = reader.changedAsync();
    assertTrue(abandoned.cancel(false));
    watch.set(1);
    assertTrue(reader.hasChanged(), "the cancelled future marked nothing");
    assertEquals(1, reader.changedAsync().get(10, TimeUnit.SECONDS));
    CompletableFuture<Integer> next = reader.changedAsync();
    assertFalse(next.isDone());
    watch.set(2);
    assertEquals(2, next.get(10, TimeUnit.SECONDS));
    CompletableFuture<Integer> closing = reader.changedAsync();
    watch.close();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> closing.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, e.getCause());
  }

  @Test
  void aFutureCompletedFromOutsideMarksNothing_andOneThatMarkedRefusesIt() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    CompletableFuture<Integer> timedOut = reader.changedAsync();
    timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> timedOut.get(10, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    watch.set(1);
    assertEquals(1, reader.tryChanged(), "the timed-out future marked nothing");
    watch.set(2);
    CompletableFuture<Integer> done = reader.changedAsync();
    assertFalse(done.complete(99), "it marked 2: an outside completion changes nothing");
    assertEquals(2, done.get());
    assertFalse(done.cancel(false), "too late to cancel");
    assertEquals(null, reader.tryChanged());
  }

  @Test
  void selectIsChosenOnChange_andALosingClauseMarksNothing() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    Channel<String> other = Channel.bounded(1);
    other.send("first");
    watch.set(1);
    assertEquals(
        "first", Select.select(other.onReceive(s -> s), reader.onChanged(v -> "watch " + v)));
    assertTrue(reader.hasChanged(), "the losing clause marked nothing");
    assertEquals(
        "watch 1", Select.select(other.onReceive(s -> s), reader.onChanged(v -> "watch " + v)));
    TestThreads.Started<String> waiting =
        TestThreads.start(
                () -> Select.select(other.onReceive(s -> s), reader.onChanged(v -> "watch " + v)))
            .awaitParked();
    watch.set(2);
    assertEquals("watch 2", waiting.join());
  }

  @Test
  void aClosedReaderIsNoLongerCounted_andItsWaitsFail() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    assertEquals(1, watch.readerCount());
    TestThreads.Started<Integer> waiting = TestThreads.start(reader::changed).awaitParked();
    reader.close();
    assertThrows(ChannelClosedException.class, waiting::join);
    assertEquals(0, watch.readerCount());
    assertEquals(0, reader.get(), "reads still work");
  }

  @Test
  void aClosedReadersWaitsFailEvenAfterASet() {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    reader.close();
    watch.set(1);
    assertThrows(ChannelClosedException.class, reader::changed);
    assertThrows(ChannelClosedException.class, reader::tryChanged);
    assertEquals(1, reader.get());
  }

  @Test
  void futureDependentsSeeTheValueMarked_andMayWaitForTheNextAtOnce() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    CompletableFuture<Boolean> stillChanged =
        reader.changedAsync().thenApply(v -> reader.hasChanged());
    watch.set(1);
    assertFalse(stillChanged.get(10, TimeUnit.SECONDS), "marked before the future completed");
  }

  @Test
  void callbacksRunOutsideTheWatchLock_soAReaderClosedFromOneDoesNotStrandAnother()
      throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> first = watch.subscribe();
    Watch.Reader<Integer> second = watch.subscribe();
    Watch.Reader<Integer> third = watch.subscribe();
    first.changedAsync().thenRun(first::close); // runs in the setting thread
    TestThreads.Started<Integer> waiting = TestThreads.start(second::changed).awaitParked();
    watch.set(1);
    assertEquals(1, waiting.join());
    assertEquals(1, third.tryChanged());
    assertEquals(2, watch.readerCount());
  }

  @Test
  void aThreadInterruptedOnEntryMarksNothing() {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    watch.set(1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, reader::changed);
    assertTrue(reader.hasChanged());
  }

  @Test
  void anInterruptedWaitMarksNothing() throws Exception {
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    TestThreads.Started<Integer> waiting = TestThreads.start(reader::changed).awaitParked();
    waiting.thread().interrupt();
    assertThrows(InterruptedException.class, waiting::join);
    watch.set(1);
    assertEquals(1, reader.tryChanged());
  }

  @Test
  void nullsAreRefused() {
    assertThrows(NullPointerException.class, () -> Watch.create(null));
    Watch<String> watch = Watch.create("x");
    assertThrows(NullPointerException.class, () -> watch.set(null));
    assertThrows(NullPointerException.class, () -> watch.setIfChanged(null));
    assertThrows(NullPointerException.class, () -> watch.update(null));
    assertThrows(NullPointerException.class, () -> watch.subscribe().changed(null));
    assertEquals("x", watch.get());
  }

  @Test
  void getAndSet_returnsTheReplacedValue_andReadersSeeTheChange() throws Exception {
    Watch<String> w = Watch.create("a");
    Watch.Reader<String> r = w.subscribe();
    assertEquals("a", w.getAndSet("b"));
    assertEquals("b", w.get());
    assertEquals("b", r.changed(Duration.ofSeconds(5)));
    assertEquals("b", w.getAndSet("b"), "an equal value is still a change");
    assertTrue(r.hasChanged());
    assertThrows(NullPointerException.class, () -> w.getAndSet(null));
    w.close();
    assertThrows(ChannelClosedException.class, () -> w.getAndSet("c"));
    assertEquals("b", w.get(), "a refused set changed nothing");
  }

  @Test
  void waitFor_returnsAtOnceWhenTheValueSatisfiesIt_elseWaitsForAChangeThatDoes() throws Exception {
    Watch<Integer> w = Watch.create(5);
    Watch.Reader<Integer> r = w.subscribe();
    assertEquals(5, r.waitFor(v -> v > 3));
    assertFalse(r.hasChanged(), "the value returned is marked as seen");
    TestThreads.Started<Integer> waiting =
        TestThreads.start(() -> r.waitFor(v -> v >= 10)).awaitParked();
    w.set(7); // tested, not enough
    w.set(12);
    assertEquals(12, waiting.join());
    assertThrows(NullPointerException.class, () -> r.waitFor(null));
  }

  @Test
  void waitFor_onAClosedWatch_throwsUnlessTheLastValueSatisfiesIt() throws Exception {
    Watch<Integer> w = Watch.create(1);
    Watch.Reader<Integer> r = w.subscribe();
    w.set(2);
    w.close();
    assertEquals(2, r.waitFor(v -> v == 2), "the last value still counts");
    assertThrows(ChannelClosedException.class, () -> r.waitFor(v -> v == 3));
    ExecutionException async =
        assertThrows(
            ExecutionException.class, () -> r.waitForAsync(v -> v == 3).get(5, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, async.getCause());
  }

  @Test
  void waitFor_interrupted_throws_andAConditionThatThrows_propagates() throws Exception {
    Watch<Integer> w = Watch.create(1);
    Watch.Reader<Integer> r = w.subscribe();
    TestThreads.Started<Integer> waiting =
        TestThreads.start(() -> r.waitFor(v -> v > 1)).awaitParked();
    waiting.thread().interrupt();
    assertThrows(InterruptedException.class, waiting::join);
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(
        boom,
        assertThrows(
            IllegalStateException.class,
            () ->
                r.waitFor(
                    v -> {
                      throw boom;
                    })));
  }

  @Test
  void timedWaitFor_returnsNullWhenNoValueSatisfiesItInTime() throws Exception {
    Watch<Integer> w = Watch.create(1);
    Watch.Reader<Integer> r = w.subscribe();
    assertNull(r.waitFor(v -> v > 1, Duration.ofMillis(20)));
    assertNull(r.waitFor(v -> v > 1, Duration.ZERO));
    assertEquals(1, r.waitFor(v -> v == 1, Duration.ofSeconds(Long.MIN_VALUE / 2)));
    w.set(3);
    assertEquals(3, r.waitFor(v -> v > 1, Duration.ofSeconds(Long.MAX_VALUE / 2)));
    assertThrows(NullPointerException.class, () -> r.waitFor(v -> true, null));
  }

  @Test
  void waitForAsync_completesWithTheFirstValueThatSatisfiesIt_andCancelWithdraws()
      throws Exception {
    Watch<Integer> w = Watch.create(1);
    Watch.Reader<Integer> r = w.subscribe();
    assertEquals(1, r.waitForAsync(v -> v == 1).get(5, TimeUnit.SECONDS));
    CompletableFuture<Integer> later = r.waitForAsync(v -> v >= 3);
    w.set(2);
    assertFalse(later.isDone());
    w.set(3);
    assertEquals(3, later.get(5, TimeUnit.SECONDS));
    CompletableFuture<Integer> cancelled = r.waitForAsync(v -> v >= 10);
    assertTrue(cancelled.cancel(false));
    w.set(4);
    assertEquals(4, r.tryChanged(), "the withdrawn wait marked nothing");
    CompletableFuture<Integer> failing =
        r.waitForAsync(
            v -> {
              throw new IllegalArgumentException("no");
            });
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
  }
}
