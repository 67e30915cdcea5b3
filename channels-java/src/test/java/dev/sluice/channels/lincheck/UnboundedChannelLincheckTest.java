package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;

/** Lincheck: the non-waiting operations of an unbounded channel against {@link ChannelSpec}. */
public class UnboundedChannelLincheckTest extends ChannelLincheckBase {
  public UnboundedChannelLincheckTest() {
    super(Channel.unbounded());
  }

  @Override
  protected Class<? extends ChannelSpec> specification() {
    return Spec.class;
  }

  /** an unbounded channel, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(Integer.MAX_VALUE);
    }
  }
}
