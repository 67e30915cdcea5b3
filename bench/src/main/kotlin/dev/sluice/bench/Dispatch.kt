package dev.sluice.bench

/**
 * Where the coroutines of a coroutine benchmark run ([CoroutineBatches]): on the shared pool, or
 * all in one thread.
 */
enum class Dispatch {
    /**
     * On `Dispatchers.Default`: as many threads as cores, so producers and consumers run at once.
     */
    DEFAULT,

    /**
     * In the calling thread's `runBlocking` event loop: one thread, so that every hand-off is a
     * suspension and a dispatch, and no two coroutines ever run at once.
     */
    RUN_BLOCKING,
}
