package dev.sluice.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RingTest {
  @Test
  void randomOperations_matchArrayDeque() {
    Random random = new Random(42);
    for (int capacity : new int[] {1, 2, 3, 16, 17, 100, Integer.MAX_VALUE}) {
      Ring<Integer> ring = new Ring<>(capacity);
      ArrayDeque<Integer> model = new ArrayDeque<>();
      for (int step = 0; step < 200_000; step++) {
        int op = random.nextInt(10);
        if (op < 5 && model.size() < capacity) {
          ring.addLast(step);
          model.addLast(step);
        } else if (op < 6) {
          ring.addFirst(-step);
          model.addFirst(-step);
        } else {
          assertEquals(model.pollFirst(), ring.pollFirst());
        }
        assertEquals(model.size(), ring.size());
      }
    }
  }

  @Test
  void addLast_beyondCapacity_isRefused() {
    Ring<Integer> ring = new Ring<>(2);
    ring.addLast(1);
    ring.addLast(2);
    assertThrows(IllegalStateException.class, () -> ring.addLast(3));
    assertEquals(1, ring.pollFirst());
    assertEquals(2, ring.pollFirst());
    assertNull(ring.pollFirst());
  }
}
