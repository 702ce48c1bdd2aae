package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.Origin;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.RecordDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records decoded on several threads reach the caller in their order, on the caller's thread, and are decoded
 * ahead while the caller is busy elsewhere.
 */
class DecodingThreadsTest {
  /** Decodes a record into a skip whose reason names the decoding thread, taking a varying time. */
  private static final RecordDecoder BY_THREAD = record -> {
    long spin = ThreadLocalRandom.current().nextLong(20_000);
    long until = System.nanoTime() + spin;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    if (record.value() != null && record.value().length == 1 && record.value()[0] == 'x') {
      throw new IllegalArgumentException("bad record " + record.offset());
    }
    return new DecodedRecord.Skipped(Origin.of(record.topic(), record.partition(), record.offset()),
        Thread.currentThread().getName());
  };

  /** {@link #BY_THREAD}, counting the records it decodes. */
  private static RecordDecoder counting(AtomicInteger decoded) {
    return record -> {
      decoded.incrementAndGet();
      return BY_THREAD.decode(record);
    };
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int n) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ConsumerRecord<>("t", 0, i, null, i % 97 == 5 ? new byte[] {'x'} : new byte[] {'o', 'k'}));
    }
    return out;
  }

  @Test
  void outcomesArriveInTheRecordsOrderOnTheCallingThreadWhileHelpersDecode() {
    List<ConsumerRecord<byte[], byte[]>> records = records(1_000);
    try (DecodingThreads threads = DecodingThreads.of(4)) {
      RecordDispatcher dispatcher = new RecordDispatcher(BY_THREAD, null, threads);
      for (int round = 0; round < 5; round++) {
        List<Long> offsets = new ArrayList<>();
        Set<String> decodedOn = new HashSet<>();
        Set<String> handedTo = ConcurrentHashMap.newKeySet();
        threads.decodeInOrder(dispatcher, records, (record, decoded) -> {
          offsets.add(record.offset());
          handedTo.add(Thread.currentThread().getName());
          if (record.offset() % 97 == 5) {
            assertThat(decoded.record()).isNull();
            assertThat(decoded.error()).hasMessage("bad record " + record.offset());
          } else {
            assertThat(decoded.record().origin().offset()).isEqualTo(record.offset());
            decodedOn.add(((DecodedRecord.Skipped) decoded.record()).reason());
          }
          return true;
        });
        assertThat(offsets).hasSize(1_000).isSorted();
        assertThat(handedTo).containsExactly(Thread.currentThread().getName());
        assertThat(decodedOn).as("decoded by helpers too").anyMatch(name -> name.startsWith("tributary-decode-"));
      }
    }
  }

  @Test
  void helpersDecodeABatchWhileTheCallerIsBusyElsewhere() throws InterruptedException {
    AtomicInteger decoded = new AtomicInteger();
    RecordDecoder counting = counting(decoded);
    try (DecodingThreads threads = DecodingThreads.of(3)) {
      DecodingThreads.Batch batch = threads.start(new RecordDispatcher(counting, null, threads), records(1_000));
      assertThat(batch.isDecodedAhead()).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (decoded.get() < 1_000 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(decoded.get()).as("decoded before being handed over").isEqualTo(1_000);

      List<Long> offsets = new ArrayList<>();
      Set<String> decodedOn = new HashSet<>();
      batch.handOver((record, outcome) -> {
        offsets.add(record.offset());
        if (outcome.record() != null) {
          decodedOn.add(((DecodedRecord.Skipped) outcome.record()).reason());
        }
        return true;
      });
      assertThat(offsets).hasSize(1_000).isSorted();
      assertThat(decodedOn).isNotEmpty().allMatch(name -> name.startsWith("tributary-decode-"));
      assertThat(decoded.get()).as("nothing decoded twice").isEqualTo(1_000);
    }
  }

  @Test
  void whileAHelperHoldsTheNextChunkTheCallerDecodesTheChunksNobodyTook() throws InterruptedException {
    int n = 10 * DecodingThreads.CHUNK;
    CountDownLatch helperHoldsFirst = new CountDownLatch(1);
    CountDownLatch restDecoded = new CountDownLatch(1);
    RecordDecoder firstIsSlow = record -> {
      if (record.offset() == 0) {
        helperHoldsFirst.countDown();
        try {
          // without the caller's help the rest would wait for this chunk: give up after a while
          restDecoded.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (record.offset() == n - 1) {
        restDecoded.countDown();
      }
      return BY_THREAD.decode(record);
    };
    try (DecodingThreads threads = DecodingThreads.of(2)) {
      DecodingThreads.Batch batch = threads.start(new RecordDispatcher(firstIsSlow, null, threads), records(n));
      assertThat(helperHoldsFirst.await(10, TimeUnit.SECONDS)).isTrue();
      String caller = Thread.currentThread().getName();
      List<Long> offsets = new ArrayList<>();
      Map<Long, String> decodedOn = new HashMap<>();
      long started = System.nanoTime();
      batch.handOver((record, outcome) -> {
        offsets.add(record.offset());
        if (outcome.record() != null) {
          decodedOn.put(record.offset(), ((DecodedRecord.Skipped) outcome.record()).reason());
        }
        return true;
      });
      assertThat(offsets).hasSize(n).isSorted();
      assertThat(decodedOn).allSatisfy((offset, thread) -> assertThat(thread)
          .isEqualTo(offset < DecodingThreads.CHUNK ? "tributary-decode-1" : caller));
      assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(4));
    }
  }

  @Test
  void theCallerCanStopAndTheHelpersThenLeaveTheRestUndecoded() throws InterruptedException {
    AtomicInteger decoded = new AtomicInteger();
    RecordDecoder counting = counting(decoded);
    try (DecodingThreads threads = DecodingThreads.of(2)) {
      RecordDispatcher dispatcher = new RecordDispatcher(counting, null, threads);
      List<Long> offsets = new ArrayList<>();
      threads.decodeInOrder(dispatcher, records(10_000), (record, outcome) -> {
        offsets.add(record.offset());
        return record.offset() < 99;
      });
      assertThat(offsets).hasSize(100);
      Thread.sleep(200); // a helper finishes at most the chunk it holds
      assertThat(decoded.get()).isLessThan(2_000);
    }
  }

  @Test
  void aJvmErrorOnAHelperReachesTheCaller() {
    RecordDecoder failing = record -> {
      if (!Thread.currentThread().getName().startsWith("tributary-decode-")) {
        // the caller waits for the helpers' chunks instead of decoding them
        long until = System.nanoTime() + 1_000_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        return BY_THREAD.decode(record);
      }
      throw new StackOverflowError("helper " + record.offset());
    };
    try (DecodingThreads threads = DecodingThreads.of(2)) {
      RecordDispatcher dispatcher = new RecordDispatcher(failing, null, threads);
      assertThatThrownBy(() -> threads.decodeInOrder(dispatcher, records(2_000), (record, outcome) -> true))
          .isInstanceOf(StackOverflowError.class).hasMessageStartingWith("helper ");
    }
  }

  @Test
  void oneThreadOrAFewRecordsAreDecodedOnTheCaller() {
    List<ConsumerRecord<byte[], byte[]>> few = records(2 * DecodingThreads.CHUNK - 1);
    for (DecodingThreads threads : List.of(DecodingThreads.callerOnly(), DecodingThreads.of(3))) {
      try (threads) {
        Set<String> decodedOn = new HashSet<>();
        threads.decodeInOrder(new RecordDispatcher(BY_THREAD, null, threads), few, (record, outcome) -> {
          if (outcome.record() != null) {
            decodedOn.add(((DecodedRecord.Skipped) outcome.record()).reason());
          }
          return true;
        });
        assertThat(decodedOn).containsExactly(Thread.currentThread().getName());
      }
    }
  }
}
