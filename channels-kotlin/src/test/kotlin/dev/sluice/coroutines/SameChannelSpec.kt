package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.channels.Channel

/** [sameChannel] across the Java face and the views of one channel. */
class SameChannelSpec :
    FunSpec({
        test("views of one channel and its Java face are the same channel, others are not") {
            val java = JavaChannel.bounded<Int>(4)
            val view = java.asCoroutineChannel()
            val again = java.asCoroutineChannel()
            view.sameChannel(again) shouldBe true
            view.sameChannel(java) shouldBe true
            java.sameChannel(view) shouldBe true
            java.asSendChannel().sameChannel(java.asReceiveChannel()) shouldBe true
            view.sameChannel(JavaChannel.bounded<Int>(4).asCoroutineChannel()) shouldBe false
            view.sameChannel(null) shouldBe false
            Channel<Int>(4).sameChannel(Channel<Int>(4)) shouldBe false
        }
    })
