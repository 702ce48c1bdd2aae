package io.tributary.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates {@code ../shared/corpus} (real Debezium output with ground truth). Tests that need it call
 * {@link #mariadb()}, which skips the test with a clear message when the corpus is absent.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus root, from {@code -Dtributary.corpus.dir} or {@code ../shared/corpus}, or null. */
  public static Path root() {
    String configured = System.getProperty("tributary.corpus.dir");
    Path[] candidates = configured != null
        ? new Path[] {Paths.get(configured)}
        : new Path[] {Paths.get("../shared/corpus"), Paths.get("../../shared/corpus"), Paths.get("../../../shared/corpus")};
    for (Path p : candidates) {
      if (Files.isDirectory(p.resolve("mariadb"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  /** {@code corpus/mariadb}; skips the calling test when the corpus is not there. */
  public static Path mariadb() {
    Path root = root();
    assumeTrue(root != null,
        "Debezium corpus not found (expected ../shared/corpus/mariadb next to the repository, or"
            + " -Dtributary.corpus.dir); skipping corpus test");
    return root.resolve("mariadb");
  }
}
