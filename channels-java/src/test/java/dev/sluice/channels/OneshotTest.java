package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every promise of {@link Oneshot}'s javadoc, one test each. */
class OneshotTest {

  @Test
  void theValueIsReceivedOnceThenTheOneshotIsClosedAndDrained() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    reply.send("done");
    assertEquals(1, reply.size());
    assertTrue(reply.isClosedForSend());
    assertFalse(reply.isClosedForReceive());
    assertEquals("done", reply.receive());
    assertTrue(reply.isClosedForReceive());
    assertTrue(reply.isEmpty());
    ChannelClosedException again = assertThrows(ChannelClosedException.class, reply::receive);
    assertNull(again.getCause());
  }

  @Test
  void aWaitingReceiveGetsTheValueWhenItIsSent() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    TestThreads.Started<String> waiting = TestThreads.start(reply::receive).awaitParked();
    reply.send("late");
    assertEquals("late", waiting.join());
  }

  @Test
  void closeWithoutAValueFailsWaitingAndLaterReceives() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    TestThreads.Started<String> waiting = TestThreads.start(reply::receive).awaitParked();
    assertTrue(reply.close());
    ChannelClosedException e = assertThrows(ChannelClosedException.class, waiting::join);
    assertNull(e.getCause());
    assertThrows(ChannelClosedException.class, reply::tryReceive);
    assertFalse(reply.close(), "closed already");
  }

  @Test
  void closeWithACauseHandsItToTheReceiver() {
    Oneshot<String> reply = Oneshot.create();
    CompletableFuture<String> future = reply.receiveAsync();
    IllegalArgumentException why = new IllegalArgumentException("bad request");
    assertTrue(reply.close(why));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, e.getCause());
    assertSame(why, e.getCause().getCause());
  }

  @Test
  void aSecondSendFailsClearlyAndLeavesTheFirstValue() throws Exception {
    Oneshot<Integer> reply = Oneshot.create();
    reply.send(1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> reply.send(2));
    assertFalse(
        e instanceof ChannelClosedException, "a second send is misuse, not a closed oneshot");
    assertEquals(1, reply.receive());
    assertThrows(IllegalStateException.class, () -> reply.send(3));
    assertFalse(reply.close(), "a value was sent");
  }

  @Test
  void aSendAfterCloseFailsAsClosedAndSendsNothing() {
    Oneshot<Integer> reply = Oneshot.create();
    IllegalStateException why = new IllegalStateException("gave up");
    reply.close(why);
    ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> reply.send(1));
    assertSame(why, e.getCause());
    assertEquals(0, reply.size());
  }

  @Test
  void theReceiverCancelling_failsLaterSends_andHandsAnUnreceivedValueToTheHandler() {
    List<Integer> undelivered = new ArrayList<>();
    Oneshot<Integer> received = Oneshot.create(undelivered::add);
    received.send(5);
    received.cancel();
    assertEquals(List.of(5), undelivered);
    assertThrows(ChannelClosedException.class, received::tryReceive);

    Oneshot<Integer> notYet = Oneshot.create(undelivered::add);
    notYet.cancel();
    assertTrue(notYet.isClosedForSend());
    ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> notYet.send(6));
    assertInstanceOf(CancellationException.class, e.getCause());
    assertEquals(List.of(5), undelivered, "the refused value stays with its sender");
  }

  @Test
  void tryAndTimedReceivesTellStillWaitingFromTheValue() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    assertNull(reply.tryReceive());
    assertNull(reply.receive(Duration.ofMillis(1)));
    assertFalse(reply.isClosedForReceive());
    reply.send("now");
    assertEquals("now", reply.receive(Duration.ofSeconds(10)));
  }

  @Test
  void aCancelledFutureTookNothing() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    CompletableFuture<String> abandoned = reply.receiveAsync();
    assertTrue(abandoned.cancel(false));
    reply.send("kept");
    assertEquals("kept", reply.receiveAsync().get(10, TimeUnit.SECONDS));
  }

  @Test
  void selectTakesTheValue_andALosingClauseLeavesIt() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    Channel<String> other = Channel.bounded(1);
    other.send("first");
    String won =
        Select.select(other.onReceive(s -> "other " + s), reply.onReceive(s -> "reply " + s));
    assertEquals("other first", won);
    reply.send("answer");
    assertEquals(
        "reply answer",
        Select.select(other.onReceive(s -> "other " + s), reply.onReceive(s -> "reply " + s)));
  }

  @Test
  void aWaitingSelectIsCompletedBySendAndFailedByClose() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    Channel<String> never = Channel.rendezvous();
    TestThreads.Started<String> waiting =
        TestThreads.start(
                () -> Select.select(never.onReceive(s -> s), reply.onReceive(s -> "got " + s)))
            .awaitParked();
    reply.send("it");
    assertEquals("got it", waiting.join());

    Oneshot<String> closing = Oneshot.create();
    TestThreads.Started<String> failing =
        TestThreads.start(() -> Select.select(never.onReceive(s -> s), closing.onReceive(s -> s)))
            .awaitParked();
    closing.close();
    assertThrows(ChannelClosedException.class, failing::join);
  }

  @Test
  void streamsAndIteratorsHoldAtMostTheValue() {
    Oneshot<Integer> reply = Oneshot.create();
    reply.send(9);
    assertEquals(List.of(9), reply.stream().toList());
    Oneshot<Integer> none = Oneshot.create();
    none.close();
    assertFalse(none.iterator().hasNext());
  }

  @Test
  void nullsAreRefused() {
    Oneshot<String> reply = Oneshot.create();
    assertThrows(NullPointerException.class, () -> reply.send(null));
    assertThrows(NullPointerException.class, () -> reply.close(null));
    assertThrows(NullPointerException.class, () -> Oneshot.create(null));
    assertNull(reply.tryReceive(), "nothing changed");
  }

  @Test
  void toStringNamesTheState() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    assertEquals("Oneshot[waiting]", reply.toString());
    reply.send("x");
    assertEquals("Oneshot[value sent]", reply.toString());
    reply.receive();
    assertEquals("Oneshot[value received, or dropped by cancel]", reply.toString());
    Oneshot<String> closed = Oneshot.create();
    closed.close();
    assertEquals("Oneshot[closed without a value]", closed.toString());
  }
}
