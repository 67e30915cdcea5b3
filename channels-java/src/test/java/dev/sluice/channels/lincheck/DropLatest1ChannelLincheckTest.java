package dev.sluice.channels.lincheck;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Channel;

/**
 * Lincheck: the non-waiting operations of a channel of one element that drops the new element when
 * full, against {@link ChannelSpec}. A full answer must be true at one instant, or an element that
 * had room is dropped.
 */
public class DropLatest1ChannelLincheckTest extends ChannelLincheckBase {
  public DropLatest1ChannelLincheckTest() {
    super(Channel.<Integer>builder().capacity(1).overflow(BufferOverflow.DROP_LATEST).build());
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** a one-element channel dropping the latest, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(1, BufferOverflow.DROP_LATEST);
    }
  }
}
