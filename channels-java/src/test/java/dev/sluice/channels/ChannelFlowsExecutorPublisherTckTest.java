package dev.sluice.channels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK's publisher rules, run against {@link ChannelFlows#publisher(Receiver,
 * java.util.concurrent.Executor)}: every signal from a pool's task. The multicast tests of rule
 * 1.11 are not verified, as in {@link ChannelFlowsPublisherTckTest}.
 */
@Test
public class ChannelFlowsExecutorPublisherTckTest extends FlowPublisherVerification<Integer> {
  private ExecutorService pool;

  public ChannelFlowsExecutorPublisherTckTest() {
    super(new TestEnvironment(200, 50), 500);
  }

  @BeforeClass
  public void startPool() {
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterClass
  public void stopPool() {
    pool.shutdownNow();
  }

  @Override
  public Flow.Publisher<Integer> createFlowPublisher(long elements) {
    Channel<Integer> channel = Channel.bounded(16);
    ChannelFlowsPublisherTckTest.feed(channel, 0, elements);
    return ChannelFlows.publisher(channel, pool);
  }

  @Override
  public Flow.Publisher<Integer> createFailedFlowPublisher() {
    Channel<Integer> channel = Channel.rendezvous();
    channel.close(new IllegalStateException("the producer failed"));
    return ChannelFlows.publisher(channel, pool);
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne() {
    notVerified("competing subscribers, see ChannelFlowsPublisherTckTest");
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront() {
    notVerified("competing subscribers, see ChannelFlowsPublisherTckTest");
  }

  @Override
  public void
      optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected() {
    notVerified("competing subscribers, see ChannelFlowsPublisherTckTest");
  }
}
