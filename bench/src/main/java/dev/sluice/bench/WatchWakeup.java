package dev.sluice.bench;

import dev.sluice.channels.Watch;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wake-up latency of a watch: nanoseconds for one thread to set a value, wake a reader that waits
 * for a change, and be woken in turn by the reader's answer. One operation is a ping-pong over two
 * value holders: the asker sets the <em>question</em> and waits for the <em>answer</em> to change;
 * the answerer, waiting for the question to change, wakes and sets the answer to what it read. Only
 * one question is open at a time, so every set finds the other side waiting (or about to wait):
 * this is the cost of a set that wakes a reader, twice, where {@link WatchUpdateRead} measures sets
 * and polling reads.
 *
 * <p>Rows ({@link Kind}): {@code SLUICE} is two {@link Watch}es on platform threads blocked in
 * {@link Watch.Reader#changed()}; {@code SLUICE_COROUTINES} the same watches waited on with the
 * coroutine face ({@code awaitChanged}), and {@code STATE_FLOW} two kotlinx {@code
 * MutableStateFlow}s with a collector on each side, both in a {@code runBlocking} that holds the
 * side's platform thread (see {@link CoroutineWakeup}); {@code ATOMIC} and {@code ATOMIC_PARK} two
 * {@link ParkingCell}s, an {@code AtomicReference} and {@code LockSupport.park/unpark}: the floor.
 * {@code ATOMIC} spins before it parks as long as a Sluice wait does ({@value #SLUICE_SPINS} {@code
 * onSpinWait}s; none on a single CPU), {@code ATOMIC_PARK} parks at once, as kotlinx's {@code
 * runBlocking} does.
 *
 * <p>Each invocation makes {@value PingPong#ROUND_TRIPS} round trips between two workers started
 * once per trial (see {@link Crew}); each round trip is checked to bring back the element asked.
 * The score is per round trip. The holders keep their values from one invocation to the next, and
 * the sides know the value they saw last: a round begins where the last one ended.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WatchWakeup {
  /** The value holders compared. */
  public enum Kind {
    /** Sluice's {@link Watch}, waited on with the blocking {@code changed()}. */
    SLUICE,
    /** Sluice's {@link Watch}, waited on with the coroutine face's {@code awaitChanged()}. */
    SLUICE_COROUTINES,
    /** kotlinx's {@code MutableStateFlow}, waited on by a collector. */
    STATE_FLOW,
    /** {@link ParkingCell}, spinning as long as Sluice before it parks. */
    ATOMIC,
    /** {@link ParkingCell}, parking at once. */
    ATOMIC_PARK
  }

  /**
   * How many {@code onSpinWait}s {@code ATOMIC} makes before it parks, on more than one CPU: what a
   * Sluice wait made before ADR 0010, 256 retries of the lane and 256 spins of the parker. Since
   * then a Sluice wait spins up to 20 us in the parker ({@code sluice.parkSpinNanos}), about 1,500
   * spins on the bench machine, so {@code ATOMIC} now spins for less time than Sluice does.
   */
  static final int SLUICE_SPINS = 512;

  @Param public Kind impl;

  private Crew crew;

  @Setup(Level.Trial)
  public void start() {
    List<Crew.Job> jobs =
        switch (impl) {
          case SLUICE -> sluice();
          case SLUICE_COROUTINES -> coroutines(new CoroutineWakeup.Sluice());
          case STATE_FLOW -> coroutines(new CoroutineWakeup.StateFlow());
          case ATOMIC -> atomic(Runtime.getRuntime().availableProcessors() > 1 ? SLUICE_SPINS : 0);
          case ATOMIC_PARK -> atomic(0);
        };
    ThreadFactory threads = Thread.ofPlatform().name("bench-wakeup-", 0).daemon(true).factory();
    crew = new Crew(threads, jobs);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(PingPong.ROUND_TRIPS)
  public void roundTrip() throws InterruptedException {
    crew.round();
  }

  /** The asker and the answerer over two watches, one reader each, blocking in {@code changed}. */
  private static List<Crew.Job> sluice() {
    Object start = new Object();
    Watch<Object> question = Watch.create(start);
    Watch.Reader<Object> questions = question.subscribe();
    Watch<Object> answer = Watch.create(start);
    Watch.Reader<Object> answers = answer.subscribe();
    Crew.Job asker =
        () -> {
          for (int i = 0; i < PingPong.ROUND_TRIPS; i++) {
            Object asked = Elements.VALUES[i];
            question.set(asked);
            if (answers.changed() != asked) {
              throw new AssertionError("the answerer answered another question");
            }
          }
        };
    Crew.Job answerer =
        () -> {
          for (int i = 0; i < PingPong.ROUND_TRIPS; i++) {
            answer.set(questions.changed());
          }
        };
    return List.of(asker, answerer);
  }

  private static List<Crew.Job> coroutines(CoroutineWakeup sides) {
    return List.of(() -> sides.ask(PingPong.ROUND_TRIPS), () -> sides.answer(PingPong.ROUND_TRIPS));
  }

  /**
   * The asker and the answerer over two parking cells. Each side remembers the value it saw last,
   * across rounds: a change is another object than that one.
   */
  private static List<Crew.Job> atomic(int spins) {
    Object start = new Object();
    ParkingCell question = new ParkingCell(start, spins);
    ParkingCell answer = new ParkingCell(start, spins);
    Crew.Job asker =
        new Crew.Job() {
          private Object lastAnswer = start;

          @Override
          public void run() throws InterruptedException {
            for (int i = 0; i < PingPong.ROUND_TRIPS; i++) {
              Object asked = Elements.VALUES[i];
              question.set(asked);
              lastAnswer = answer.awaitChange(lastAnswer);
              if (lastAnswer != asked) {
                throw new AssertionError("the answerer answered another question");
              }
            }
          }
        };
    Crew.Job answerer =
        new Crew.Job() {
          private Object lastQuestion = start;

          @Override
          public void run() throws InterruptedException {
            for (int i = 0; i < PingPong.ROUND_TRIPS; i++) {
              lastQuestion = question.awaitChange(lastQuestion);
              answer.set(lastQuestion);
            }
          }
        };
    return List.of(asker, answerer);
  }
}
