package io.tributary.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of change events of a {@code customers} table shaped like the one of the MariaDB corpus
 * (same columns, types and value sizes), so that every run of the benchmarks decodes the same records.
 */
public final class CustomersData {
  private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances",
      "Ken", "Margaret", "Dennis", "Radia", "John", "Leslie", "Shafi", "Tony", "Niklaus", "Sophie", "Jean"};
  private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
      "Thompson", "Hamilton", "Ritchie", "Perlman", "Backus", "Lamport", "Goldwasser", "Hoare", "Wirth", "Wilson"};
  private static final String[] WORDS = {"prefers", "email", "contact", "weekends", "only", "VIP", "since",
      "migrated", "from", "legacy", "system", "called", "about", "invoice", "discount", "renewal", "note", "the"};

  /** One row of the table; nullable columns may be null. */
  public record Customer(int id, String name, String email, BigDecimal balance, Long createdAt, String updatedAt,
      Integer birthday, Short active, Double score, String notes, String prefs, String tier, byte[] avatar,
      Long wakeTime) {}

  /** One change event: operation code, the row images, and the binlog position it came from. */
  public record Event(String op, Customer before, Customer after, long tsMs, String file, long pos, int row,
      long serverId, String gtid, String snapshot) {}

  private CustomersData() {}

  /** {@code count} events generated from {@code seed}: mostly inserts, then updates and a few deletes. */
  public static List<Event> events(long seed, int count) {
    Random r = new Random(seed);
    List<Event> out = new ArrayList<>(count);
    List<Customer> live = new ArrayList<>();
    long ts = 1_795_295_146_000L;
    long pos = 47_946;
    int nextId = 1;
    for (int i = 0; i < count; i++) {
      ts += r.nextInt(50);
      pos += 200 + r.nextInt(800);
      int dice = r.nextInt(100);
      String file = "mariadb-bin.00000" + (1 + i / 2000);
      if (i < count / 5) {
        Customer c = customer(r, nextId++);
        live.add(c);
        out.add(new Event("r", null, c, ts, file, pos, 0, 0, null, i == 0 ? "first" : "true"));
      } else if (dice < 50 || live.size() < 10) {
        Customer c = customer(r, nextId++);
        live.add(c);
        out.add(new Event("c", null, c, ts, file, pos, 0, 223_344, "0-223344-" + i, "false"));
      } else if (dice < 90) {
        int at = r.nextInt(live.size());
        Customer before = live.get(at);
        Customer after = update(r, before);
        live.set(at, after);
        out.add(new Event("u", before, after, ts, file, pos, 0, 223_344, "0-223344-" + i, "false"));
      } else {
        Customer before = live.remove(r.nextInt(live.size()));
        out.add(new Event("d", before, null, ts, file, pos, 0, 223_344, "0-223344-" + i, "false"));
      }
    }
    return out;
  }

  private static Customer customer(Random r, int id) {
    String first = FIRST[r.nextInt(FIRST.length)];
    String last = LAST[r.nextInt(LAST.length)];
    String name = first + " " + last + (r.nextInt(4) == 0 ? " " + (char) ('A' + r.nextInt(26)) + "." : "");
    String email = r.nextInt(10) == 0 ? null
        : (first + "." + last + id).toLowerCase() + "@" + (r.nextBoolean() ? "example.com" : "mail.example.org");
    BigDecimal balance = r.nextInt(10) == 0 ? null
        : BigDecimal.valueOf(r.nextInt(2_000_000_000) - 200_000_000L, 2);
    Long created = 1_704_067_200_000L + (long) (r.nextDouble() * 31_536_000_000L);
    String updated = r.nextInt(8) == 0 ? null : zoned(r);
    Integer birthday = r.nextInt(6) == 0 ? null : -3650 + r.nextInt(20_000);
    Short active = (short) r.nextInt(2);
    Double score = r.nextInt(5) == 0 ? null : Math.round(r.nextDouble() * 10_000) / 100.0;
    String notes = r.nextInt(3) == 0 ? null : sentence(r, 3 + r.nextInt(25));
    String prefs = r.nextInt(4) == 0 ? null
        : "{\"theme\": \"" + (r.nextBoolean() ? "light" : "dark") + "\", \"n\": " + r.nextInt(100)
            + ", \"tags\": [\"" + WORDS[r.nextInt(WORDS.length)] + "\", \"" + WORDS[r.nextInt(WORDS.length)] + "\"]}";
    String tier = r.nextInt(5) == 0 ? null : r.nextInt(3) == 0 ? "pro" : "free";
    byte[] avatar = null;
    if (r.nextInt(3) != 0) {
      avatar = new byte[4 + r.nextInt(60)];
      r.nextBytes(avatar);
    }
    Long wake = r.nextInt(4) == 0 ? null : (long) r.nextInt(86_400) * 1_000_000L + r.nextInt(1000) * 1000L;
    return new Customer(id, name, email, balance, created, updated, birthday, active, score, notes, prefs, tier,
        avatar, wake);
  }

  private static Customer update(Random r, Customer c) {
    BigDecimal balance = BigDecimal.valueOf(r.nextInt(2_000_000_000) - 200_000_000L, 2);
    Double score = Math.round(r.nextDouble() * 10_000) / 100.0;
    String notes = r.nextBoolean() ? c.notes() : sentence(r, 3 + r.nextInt(25));
    return new Customer(c.id(), c.name(), c.email(), balance, c.createdAt(), zoned(r), c.birthday(),
        (short) r.nextInt(2), score, notes, c.prefs(), r.nextBoolean() ? "pro" : c.tier(), c.avatar(), c.wakeTime());
  }

  private static String zoned(Random r) {
    long second = 1_704_067_200L + r.nextInt(63_072_000);
    java.time.Instant at = java.time.Instant.ofEpochSecond(second, r.nextInt(1_000_000) * 1000L);
    return at.toString();
  }

  private static String sentence(Random r, int words) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return s.append('.').toString();
  }
}
