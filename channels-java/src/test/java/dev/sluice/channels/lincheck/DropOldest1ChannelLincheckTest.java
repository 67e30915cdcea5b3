package dev.sluice.channels.lincheck;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Channel;

/**
 * Lincheck: the non-waiting operations of a channel of one element that drops its oldest when full
 * (a conflated channel), against {@link ChannelSpec}. A dropping send takes and puts under the
 * lock; no receive, and no {@code size}, may see it half done. With the receives left on the fast
 * path this test fails (a {@code tryReceive} returns null between the take and the put).
 */
public class DropOldest1ChannelLincheckTest extends ChannelLincheckBase {
  public DropOldest1ChannelLincheckTest() {
    super(Channel.<Integer>builder().capacity(1).overflow(BufferOverflow.DROP_OLDEST).build());
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** a one-element channel dropping its oldest, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(1, BufferOverflow.DROP_OLDEST);
    }
  }
}
