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

  /**
   * A mix of operations for the write benchmarks, in percent of events: inserts of new keys, updates and
   * deletes of random live keys.
   */
  public enum Workload {
    INSERT_ONLY("insert-only", 100, 0),
    UPDATE_50("update-50", 50, 50),
    DELETE_10("delete-10", 50, 40);

    private final String label;
    private final int insertPercent;
    private final int updatePercent;

    Workload(String label, int insertPercent, int updatePercent) {
      this.label = label;
      this.insertPercent = insertPercent;
      this.updatePercent = updatePercent;
    }

    /** The name used in options and result names, e.g. {@code update-50}. */
    public String label() {
      return label;
    }

    public static Workload fromLabel(String label) {
      for (Workload w : values()) {
        if (w.label.equals(label)) {
          return w;
        }
      }
      throw new IllegalArgumentException("unknown workload " + label + ", expected insert-only, update-50 or delete-10");
    }
  }

  /**
   * An endless seeded stream of change events of one {@link Workload}. It keeps only a version number per key,
   * not the rows: a row image is regenerated from the seed, the key and its version, so that millions of
   * events can be generated in a small heap. The first events of a workload with updates or deletes are
   * inserts until 1,000 keys are live.
   */
  public static final class Changes {
    private static final int MIN_LIVE = 1000;
    private final long seed;
    private final Workload workload;
    private final Random random;
    private int[] versions = new int[1024];
    private int[] live = new int[1024];
    private int[] liveIndex = new int[1024];
    private int liveCount;
    private int nextId = 1;
    private long emitted;
    private long ts = 1_795_295_146_000L;
    private long pos = 47_946;

    private Changes(long seed, Workload workload) {
      this.seed = seed;
      this.workload = workload;
      this.random = new Random(seed);
    }

    /** The next event. */
    public Event next() {
      long i = emitted++;
      ts += random.nextInt(50);
      pos += 200 + random.nextInt(800);
      String file = "mariadb-bin." + String.format("%06d", 1 + i / 100_000);
      String gtid = "0-223344-" + i;
      int dice = random.nextInt(100);
      if (dice < workload.insertPercent || liveCount < MIN_LIVE) {
        int id = nextId++;
        grow(id);
        versions[id] = 0;
        addLive(id);
        return new Event("c", null, row(id, 0), ts, file, pos, 0, 223_344, gtid, "false");
      }
      int id = live[random.nextInt(liveCount)];
      Customer before = row(id, versions[id]);
      if (dice < workload.insertPercent + workload.updatePercent) {
        versions[id]++;
        return new Event("u", before, row(id, versions[id]), ts, file, pos, 0, 223_344, gtid, "false");
      }
      removeLive(id);
      return new Event("d", before, null, ts, file, pos, 0, 223_344, gtid, "false");
    }

    /** How many events were generated. */
    public long count() {
      return emitted;
    }

    /** The rows the source table holds after the events generated so far, by key. */
    public java.util.SortedMap<Integer, Customer> sourceState() {
      java.util.SortedMap<Integer, Customer> rows = new java.util.TreeMap<>();
      for (int i = 0; i < liveCount; i++) {
        rows.put(live[i], row(live[i], versions[live[i]]));
      }
      return rows;
    }

    /** The row of key {@code id} at {@code version}: the insert, then one update per version. */
    private Customer row(int id, int version) {
      Customer c = customer(new Random(seed * 1_000_003L + id), id);
      for (int v = 1; v <= version; v++) {
        c = update(new Random((seed * 1_000_003L + id) * 31 + v), c);
      }
      return c;
    }

    private void grow(int id) {
      if (id >= versions.length) {
        versions = java.util.Arrays.copyOf(versions, versions.length * 2);
        liveIndex = java.util.Arrays.copyOf(liveIndex, liveIndex.length * 2);
      }
      if (liveCount >= live.length) {
        live = java.util.Arrays.copyOf(live, live.length * 2);
      }
    }

    private void addLive(int id) {
      live[liveCount] = id;
      liveIndex[id] = liveCount++;
    }

    private void removeLive(int id) {
      int at = liveIndex[id];
      int last = live[--liveCount];
      live[at] = last;
      liveIndex[last] = at;
    }
  }

  private CustomersData() {}

  /** The change events of a workload, generated from {@code seed}. */
  public static Changes changes(long seed, Workload workload) {
    return new Changes(seed, workload);
  }

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
