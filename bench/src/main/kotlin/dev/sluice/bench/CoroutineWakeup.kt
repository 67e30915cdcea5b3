package dev.sluice.bench

import dev.sluice.channels.Watch
import dev.sluice.coroutines.awaitChanged
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking

/**
 * The coroutine rows of [WatchWakeup]: two holders of a value, the *question* and the *answer*, and
 * the two sides of the ping-pong over them, each a coroutine in a `runBlocking` that holds its own
 * platform thread (a [Crew] worker) for a whole round. A coroutine that waits suspends, and its
 * thread parks in `runBlocking`'s event loop until the other side's set resumes it: the same shape
 * as the blocking rows, one thread per side, woken on every change.
 *
 * The asker sets the question to [Elements.VALUES]`[i]` and waits for the answer to become the same
 * element; the answerer waits for a question it has not answered and sets the answer to it. Only
 * one question is ever open, so no change is conflated away. The holders keep their values between
 * rounds: a round begins where the last one ended.
 */
sealed class CoroutineWakeup {

    /** The asker's job: [count] questions, each answered before the next is asked. */
    abstract fun ask(count: Int)

    /** The answerer's job: [count] answers. */
    abstract fun answer(count: Int)

    /**
     * Two Sluice [Watch]es, waited on with the coroutine face ([awaitChanged]), one reader each.
     */
    class Sluice : CoroutineWakeup() {
        private val question = Watch.create<Any>(START)
        private val questions = question.subscribe()
        private val answer = Watch.create<Any>(START)
        private val answers = answer.subscribe()

        override fun ask(count: Int) = runBlocking {
            for (i in 0 until count) {
                val asked = Elements.VALUES[i]
                question.set(asked)
                check(answers.awaitChanged() === asked) { "the answerer answered another question" }
            }
        }

        override fun answer(count: Int) = runBlocking {
            repeat(count) { answer.set(questions.awaitChanged()) }
        }
    }

    /**
     * Two kotlinx `MutableStateFlow`s. Each side collects the other's flow once per round (with
     * `first`, whose predicate does the work and says when the round is over), so a wait is a
     * suspended collector, not a new subscription. A collector is first given the flow's current
     * value, possibly the one it handled last round: the sides skip it.
     */
    class StateFlow : CoroutineWakeup() {
        private val question = MutableStateFlow<Any>(START)
        private val answer = MutableStateFlow<Any>(START)

        /** The last answer the asker got, across rounds: only the asker's thread touches it. */
        private var lastAnswer: Any = START

        /** The last question answered, across rounds: only the answerer's thread touches it. */
        private var answered: Any = START

        override fun ask(count: Int) {
            // The round's first question must differ from the last round's last one.
            require(count >= 2) { "at least 2 questions a round" }
            runBlocking {
                var asked = 0
                question.value = Elements.VALUES[0]
                answer.first { got ->
                    if (got == lastAnswer) return@first false // the last round's, seen first
                    check(got == Elements.VALUES[asked]) {
                        "the answerer answered another question"
                    }
                    lastAnswer = got
                    asked++
                    if (asked == count) return@first true
                    question.value = Elements.VALUES[asked]
                    false
                }
            }
        }

        override fun answer(count: Int) {
            runBlocking {
                var answers = 0
                question.first { got ->
                    if (got == answered) return@first false // answered last round
                    answered = got
                    answer.value = got
                    ++answers == count
                }
            }
        }
    }

    private companion object {
        /** Both holders' first value: equal to no element. */
        val START = Any()
    }
}
