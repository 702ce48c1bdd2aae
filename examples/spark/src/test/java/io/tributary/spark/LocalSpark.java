package io.tributary.spark;

import org.apache.spark.sql.SparkSession;

/** Test support: the {@code local[2]} session the Spark tests run in (no UI, two shuffle partitions). */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start(String appName) {
    return SparkSession.builder().master("local[2]").appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
