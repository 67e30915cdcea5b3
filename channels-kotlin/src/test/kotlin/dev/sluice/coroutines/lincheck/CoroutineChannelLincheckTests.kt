package dev.sluice.coroutines.lincheck

import dev.sluice.coroutines.SluiceChannel
import kotlinx.coroutines.channels.Channel

/**
 * Lincheck: the coroutine view of a rendezvous channel (capacity 0) against [SequentialChannel].
 */
class RendezvousCoroutineChannelLincheckTest :
    CoroutineChannelLincheckBase(
        SluiceChannel(Channel.RENDEZVOUS),
        SequentialRendezvousChannel::class.java,
    )

/** A rendezvous channel, as a sequential model. */
class SequentialRendezvousChannel : SequentialChannel(0)

/** Lincheck: the coroutine view of a channel bounded to one element against [SequentialChannel]. */
class Bounded1CoroutineChannelLincheckTest :
    CoroutineChannelLincheckBase(SluiceChannel(1), SequentialBounded1Channel::class.java)

/** A channel bounded to one element, as a sequential model. */
class SequentialBounded1Channel : SequentialChannel(1)

/**
 * Lincheck: the coroutine view of a channel bounded to two elements against [SequentialChannel].
 */
class Bounded2CoroutineChannelLincheckTest :
    CoroutineChannelLincheckBase(SluiceChannel(2), SequentialBounded2Channel::class.java)

/** A channel bounded to two elements, as a sequential model. */
class SequentialBounded2Channel : SequentialChannel(2)

/** Lincheck: the coroutine view of an unbounded channel against [SequentialChannel]. */
class UnboundedCoroutineChannelLincheckTest :
    CoroutineChannelLincheckBase(
        SluiceChannel(Channel.UNLIMITED),
        SequentialUnboundedChannel::class.java,
    )

/** An unbounded channel, as a sequential model. */
class SequentialUnboundedChannel : SequentialChannel(Int.MAX_VALUE)
