package dev.sluice.examples.kafka;

/**
 * The orders of the two-JVM example, as the records carry them, and the work done on each: the
 * order service writes {@code order(id)}, a worker turns it into {@code receipt(order)}, and the
 * orchestrator checks each receipt against {@link #total(int)}.
 *
 * <p>Invariant: every function here is pure, so the three JVMs agree on what each order is and what
 * processing it yields without telling each other anything but the records.
 */
final class Orders {
  private Orders() {}

  /** The consumer group of the worker pool: its receivers share the orders topic. */
  static final String WORKERS_GROUP = "order-workers";

  /**
   * The record of order {@code id}: its id, a quantity and a unit price in cents.
   *
   * @param id the order's number, from 0
   * @return the record's value, for instance {@code "7:3x1050"}
   */
  static String order(int id) {
    return id + ":" + quantity(id) + "x" + unitPrice(id);
  }

  /**
   * Processes an order: prices it.
   *
   * @param order a record made by {@link #order(int)}
   * @return the receipt, {@code "id:total"}
   * @throws IllegalArgumentException if {@code order} is not an order's record
   */
  static String receipt(String order) {
    int colon = order.indexOf(':');
    int times = order.indexOf('x');
    if (colon < 1 || times < colon) {
      throw new IllegalArgumentException("not an order: " + order);
    }
    int id = Integer.parseInt(order.substring(0, colon));
    long total =
        (long) Integer.parseInt(order.substring(colon + 1, times))
            * Integer.parseInt(order.substring(times + 1));
    return id + ":" + total;
  }

  /**
   * The order's id in a receipt.
   *
   * @param receipt a receipt made by {@link #receipt(String)}
   * @return the order's id
   */
  static int id(String receipt) {
    return Integer.parseInt(receipt.substring(0, receipt.indexOf(':')));
  }

  /**
   * The total a receipt states.
   *
   * @param receipt a receipt made by {@link #receipt(String)}
   * @return the total, in cents
   */
  static long totalOf(String receipt) {
    return Long.parseLong(receipt.substring(receipt.indexOf(':') + 1));
  }

  /**
   * What the receipt of order {@code id} must say, computed without any record.
   *
   * @param id the order's number
   * @return the order's total, in cents
   */
  static long total(int id) {
    return (long) quantity(id) * unitPrice(id);
  }

  private static int quantity(int id) {
    return id % 5 + 1;
  }

  private static int unitPrice(int id) {
    return 250 + (id * 37) % 1000;
  }
}
