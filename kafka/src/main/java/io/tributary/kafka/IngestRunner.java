package io.tributary.kafka;

import io.tributary.core.FatalException;
import io.tributary.core.StreamPartition;
import io.tributary.core.TributaryException;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.CommitStats;
import io.tributary.core.pipeline.DeadLetterHandler;
import io.tributary.core.pipeline.ErrorTolerance;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.pipeline.PipelineMetrics;
import io.tributary.core.pipeline.TableRouter;
import io.tributary.core.schema.EvolutionPolicy;
import io.tributary.core.sink.TableSink;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.RecordDecoder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes Debezium topics with one Kafka consumer and feeds them through an {@link IngestPipeline} into a
 * {@link TableSink}, exactly once: on every partition assignment it resumes from the offsets the tables
 * recorded, and it commits the consumer group's offsets only after the table commits (for monitoring).
 * Several runners in one consumer group share the partitions.
 *
 * <pre>{@code
 * try (IngestRunner runner = IngestRunner.builder()
 *     .consumerProperties(Map.of("bootstrap.servers", "broker:9092", "group.id", "tributary"))
 *     .topicPattern(Pattern.compile("dbserver1\\..*"))
 *     .sink(sink)
 *     .build()) {
 *   runner.closeOnSignals();
 *   runner.run(); // until close(), an interrupt or a fatal error
 * }
 * }</pre>
 */
public final class IngestRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRunner.class);
  private static final String DEFAULT_PATTERN_METADATA_AGE_MS = "30000";

  private final Map<String, Object> consumerProps;
  private final List<String> topics;
  private final Pattern topicPattern;
  private final TableSink sink;
  private final RecordDecoder decoder;
  private final Settings settings;
  private final TableRouter router;
  private final EvolutionPolicy policy;
  private final PipelineListener userListener;
  private final DeadLetterHandler deadLetters;
  private final KafkaDeadLetterHandler ownedDeadLetters;
  private final long pollTimeoutMs;
  private final long retryBackoffMs;
  private final long retryBackoffMaxMs;
  private final int maxRetries;
  private final long closeTimeoutMs;
  private final int decodeThreads;
  private final long commitIntervalMs;

  private final PipelineMetrics pipelineMetrics = new PipelineMetrics();
  private final Object lifecycle = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Map<StreamPartition, Long> positions = new ConcurrentHashMap<>();
  private final Map<StreamPartition, Long> lag = new ConcurrentHashMap<>();
  private final Map<StreamPartition, Long> groupOffsets = new ConcurrentHashMap<>();
  private final Deque<long[]> eventSamples = new ArrayDeque<>();

  private volatile RunnerMetrics.State state = RunnerMetrics.State.CREATED;
  private volatile boolean stopRequested;
  private volatile boolean abortRequested;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile Throwable failure;
  private volatile long lastTableCommitMillis;
  private volatile long lastOffsetCommitMillis;
  private volatile long bufferedBytes;
  private volatile long backPressurePauses;
  private volatile boolean rebalanceDisabled;
  private Thread runnerThread;

  // owned by the runner thread
  private IngestPipeline pipeline;
  private RecordDispatcher dispatcher;
  private DecodingThreads decoding;
  /**
   * Table records of the last poll, decoding on the helper threads while the next poll reads on; fed to the
   * pipeline after that poll, or before anything that must see them first (a rebalance, schema changes, a stop).
   */
  private DecodingThreads.Batch readAhead;
  /**
   * Per partition, the first offset read since the pipeline was created: where a rewind goes back to while the
   * pipeline has consumed nothing of the partition, whose records may have been read (ahead) but not fed to it.
   */
  private final Map<TopicPartition, Long> readFrom = new HashMap<>();
  /** Since when the consumer has been behind the end of a partition it owns; -1 while it is caught up. */
  private long behindSinceMillis = -1;
  /** Set by the pipeline's commit thread. */
  private volatile boolean tableCommitted;
  private Map<TopicPartition, Long> lastGroupOffsets = new HashMap<>();

  private IngestRunner(Builder b) {
    this.settings = b.settings;
    this.sink = Objects.requireNonNull(b.sink, "sink is required");
    for (var key : RunnerConfig.keys()) {
      settings.get(key);
    }
    Map<String, Object> props = new HashMap<>(settings.withPrefix(RunnerConfig.CONSUMER_PREFIX));
    props.putAll(b.consumerProps);
    if (props.get(ConsumerConfig.GROUP_ID_CONFIG) == null) {
      throw new IllegalArgumentException("The consumer property group.id is required: the instances of one"
          + " ingest pipeline share one consumer group");
    }
    if (props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
      throw new IllegalArgumentException("The consumer property bootstrap.servers is required");
    }
    Object autoCommit = props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
      LOG.warn("Ignoring enable.auto.commit=true: offsets are committed only after the tables commit");
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // a change stream is read from its beginning unless the user says otherwise
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Debezium's exactly-once source mode writes transactionally; never apply aborted writes
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Kafka's 64 KB socket buffer holds a fetch response back while the records of the previous one are
    // decoded, so the next poll waits for the rest of it; the operating system's own sizing (Linux: grown on
    // demand) lets the whole response arrive meanwhile (a million 5 KB records: +16-21% events/s, benchmarks)
    props.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);

    List<String> topicList = b.topics;
    Pattern pattern = b.topicPattern;
    if (topicList == null && pattern == null) {
      if (settings.get(RunnerConfig.TOPIC_PATTERN) != null) {
        pattern = Pattern.compile(settings.get(RunnerConfig.TOPIC_PATTERN));
      } else if (settings.get(RunnerConfig.TOPICS) != null) {
        topicList = List.of(settings.get(RunnerConfig.TOPICS).trim().split("\\s*,\\s*"));
      }
    }
    if (topicList == null && pattern == null) {
      throw new IllegalArgumentException("No topics: call topics(..) or topicPattern(..), or set "
          + RunnerConfig.TOPICS.name() + " or " + RunnerConfig.TOPIC_PATTERN.name());
    }
    if (topicList != null && pattern != null) {
      throw new IllegalArgumentException("Give either topics or a topic pattern, not both");
    }
    if (pattern != null) {
      // a new topic matching the pattern is seen on the next metadata refresh
      props.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, DEFAULT_PATTERN_METADATA_AGE_MS);
    }
    this.topics = topicList == null ? null : List.copyOf(topicList);
    this.topicPattern = pattern;
    this.consumerProps = props;

    this.decoder = b.decoder != null ? b.decoder : DebeziumDecoders.create(settings);
    this.router = b.router;
    this.policy = b.policy;
    this.userListener = b.listener != null ? b.listener : PipelineListener.none();

    String dlqTopic = b.deadLetterTopic != null ? b.deadLetterTopic : settings.get(RunnerConfig.DEAD_LETTER_TOPIC);
    if (b.deadLetters != null) {
      this.deadLetters = b.deadLetters;
      this.ownedDeadLetters = null;
    } else if (dlqTopic != null) {
      this.ownedDeadLetters = KafkaDeadLetterHandler.create(producerProperties(props, b.producerProps), dlqTopic);
      this.deadLetters = ownedDeadLetters;
    } else {
      this.deadLetters = null;
      this.ownedDeadLetters = null;
    }
    if (settings.get(PipelineConfig.ERRORS_TOLERANCE) == ErrorTolerance.ALL && deadLetters == null) {
      throw new IllegalArgumentException(PipelineConfig.ERRORS_TOLERANCE.name() + "=all needs a dead-letter"
          + " topic: set " + RunnerConfig.DEAD_LETTER_TOPIC.name() + " or call deadLetterTopic(..)");
    }
    this.pollTimeoutMs = settings.get(RunnerConfig.POLL_TIMEOUT_MS);
    this.retryBackoffMs = settings.get(RunnerConfig.RETRY_BACKOFF_MS);
    this.retryBackoffMaxMs = settings.get(RunnerConfig.RETRY_BACKOFF_MAX_MS);
    this.maxRetries = settings.get(RunnerConfig.MAX_RETRIES);
    this.closeTimeoutMs = settings.get(RunnerConfig.CLOSE_TIMEOUT_MS);
    this.decodeThreads = settings.get(RunnerConfig.DECODE_THREADS);
    if (decodeThreads < 1) {
      throw new IllegalArgumentException(RunnerConfig.DECODE_THREADS.name() + " must be at least 1, not "
          + decodeThreads);
    }
    this.commitIntervalMs = settings.get(PipelineConfig.COMMIT_INTERVAL_MS);
    // fail on bad pipeline settings now rather than on the runner thread
    newPipeline().close();
  }

  /**
   * Producer properties for the dead-letter topic: the consumer's properties that are also producer
   * properties (bootstrap servers, security, SASL, SSL, client callbacks), then the explicit overrides.
   */
  private Map<String, Object> producerProperties(Map<String, Object> consumer, Map<String, Object> overrides) {
    Set<String> producerNames = ProducerConfig.configNames();
    Map<String, Object> out = new HashMap<>();
    consumer.forEach((k, v) -> {
      if (producerNames.contains(k) && !k.equals(ConsumerConfig.CLIENT_ID_CONFIG)
          && !k.equals(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)) {
        out.put(k, v);
      }
    });
    out.putAll(settings.withPrefix(RunnerConfig.DEAD_LETTER_PRODUCER_PREFIX));
    out.putAll(overrides);
    return out;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Consumes until {@link #close()}, an interrupt of the calling thread, or a fatal error, which is rethrown
   * after the consumer is closed. A clean stop commits everything buffered first.
   *
   * @throws TributaryException the fatal error that stopped the runner (its message says what to do)
   */
  public void run() {
    synchronized (lifecycle) {
      if (runnerThread != null) {
        throw new IllegalStateException("This runner was already started; build a new one to run again");
      }
      if (stopRequested) {
        // closed before it ran
        return;
      }
      runnerThread = Thread.currentThread();
      state = RunnerMetrics.State.RUNNING;
    }
    try {
      loop();
    } catch (Throwable t) {
      failure = t;
    } finally {
      finish();
    }
    Throwable t = failure;
    if (t != null) {
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new FatalException("The ingest runner failed: " + t, t);
    }
  }

  /** Runs {@link #run()} on a new thread named {@code tributary-ingest}; see {@link #awaitTermination}. */
  public IngestRunner start() {
    Thread t = new Thread(() -> {
      try {
        run();
      } catch (RuntimeException | Error e) {
        LOG.error("The ingest runner stopped: {}", e.getMessage(), e);
      }
    }, "tributary-ingest");
    t.setDaemon(false);
    t.start();
    return this;
  }

  /**
   * Waits until the runner has stopped. Returns whether it has; the fatal error, if any, is available from
   * {@link #failure()}.
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** The error that stopped the runner, or null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Stops the runner cleanly: commits what is buffered to the tables, commits the group offsets, and closes
   * the consumer and the dead-letter producer. Waits for that (up to {@code tributary.runner.close-timeout-ms}).
   * Idempotent; safe from any thread.
   */
  @Override
  public void close() {
    stopRequested = true;
    synchronized (lifecycle) {
      if (runnerThread == null && state == RunnerMetrics.State.CREATED) {
        // never started: nothing to flush
        state = RunnerMetrics.State.CLOSED;
        releaseDeadLetters();
        terminated.countDown();
        return;
      }
    }
    wakeConsumer();
    if (Thread.currentThread() != runnerThread) {
      try {
        if (!terminated.await(closeTimeoutMs, TimeUnit.MILLISECONDS)) {
          LOG.warn("The ingest runner did not stop within {} ms", closeTimeoutMs);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops at once without committing what is buffered, as a crash would: the next run reads those records
   * again from the offsets the tables hold. For tests and for shutting down when the sink must not be touched.
   */
  public void abort() {
    abortRequested = true;
    stopRequested = true;
    close();
  }

  /**
   * On SIGTERM or SIGINT, closes this runner — committing what is buffered — and then lets the signal take its
   * usual course (the JVM's default handler runs the shutdown hooks and exits with 128 + the signal number).
   * Unlike a shutdown hook, the final commit happens while Iceberg's and Hadoop's own hooks have not yet
   * closed their thread pools and file systems.
   */
  public IngestRunner closeOnSignals() {
    SignalStop.install(this);
    return this;
  }

  private void wakeConsumer() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  // ---------------------------------------------------------------- the loop

  private IngestPipeline newPipeline() {
    IngestPipeline.Builder b = IngestPipeline.builder()
        .sink(sink)
        .settings(settings)
        .listener(PipelineListener.all(pipelineMetrics, userListener, new PipelineListener() {
          @Override
          public void onCommitted(CommitStats stats) {
            tableCommitted = true;
            lastTableCommitMillis = System.currentTimeMillis();
          }
        }));
    if (router != null) {
      b.router(router);
    }
    if (policy != null) {
      b.policy(policy);
    }
    if (deadLetters != null) {
      b.deadLetters(deadLetters);
    }
    return b.build();
  }

  private void loop() {
    LOG.info("Starting ingest of {} for sink id {}, consumer {}", topics != null ? topics : topicPattern,
        settings.get(PipelineConfig.SINK_ID), Settings.of(stringProps(consumerProps)).redacted());
    pipeline = newPipeline();
    decoding = DecodingThreads.of(decodeThreads);
    dispatcher = new RecordDispatcher(decoder, pipeline, decoding);
    consumer = new KafkaConsumer<>(consumerProps);
    if (stopRequested) {
      return;
    }
    Rebalance rebalance = new Rebalance();
    if (topicPattern != null) {
      consumer.subscribe(topicPattern, rebalance);
    } else {
      consumer.subscribe(topics, rebalance);
    }
    int failures = 0;
    long backoff = retryBackoffMs;
    while (!stopRequested) {
      try {
        pollOnce(rebalance);
        failures = 0;
        backoff = retryBackoffMs;
        state = RunnerMetrics.State.RUNNING;
      } catch (WakeupException e) {
        // close() or abort(): the loop condition decides
      } catch (InterruptException e) {
        Thread.interrupted();
        LOG.info("Interrupted: stopping the ingest runner");
        stopRequested = true;
      } catch (RuntimeException e) {
        if (!isTransient(e)) {
          throw fatal(e);
        }
        failures++;
        if (maxRetries >= 0 && failures > maxRetries) {
          throw new FatalException("Giving up after " + failures + " consecutive transient failures; the last: "
              + e.getMessage() + ". Nothing was lost: the tables hold what was committed and a restart"
              + " resumes from there. Check that the catalog and the brokers are reachable.", e);
        }
        state = RunnerMetrics.State.RETRYING;
        LOG.warn("Transient failure ({}), re-reading from the last safe offsets in {} ms (attempt {})",
            e.getMessage(), backoff, failures, e);
        rewind();
        if (!sleep(backoff)) {
          stopRequested = true;
        }
        backoff = Math.min(backoff * 2, retryBackoffMaxMs);
      }
    }
    if (!abortRequested) {
      // a failure kept by the rebalance listener during the last poll must not be committed over
      rebalance.rethrow();
      state = RunnerMetrics.State.CLOSING;
      dispatchReadAhead();
      pipeline.flushAll();
      commitGroupOffsets();
    }
  }

  private void pollOnce(Rebalance rebalance) {
    // records read ahead wait only for what the broker has already sent, not for new records to arrive
    ConsumerRecords<byte[], byte[]> records = consumer.poll(readAhead == null ? Duration.ofMillis(pollTimeoutMs)
        : Duration.ZERO);
    noteRead(records);
    rebalance.rethrow();
    if (records.isEmpty() && readAhead != null) {
      dispatchReadAhead();
      afterDispatch();
      return;
    }
    Set<TopicPartition> ddlPartitions = schemaChangePartitions();
    if (!ddlPartitions.isEmpty() && !records.isEmpty()) {
      if (!Collections.disjoint(records.partitions(), ddlPartitions) || !caughtUpAtLastFetch(ddlPartitions)) {
        // data read before these schema changes is decoded and applied before them, as without reading ahead
        dispatchReadAhead();
      }
      for (TopicPartition tp : ddlPartitions) {
        for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
          process(record);
        }
      }
      catchUpOnSchemaChanges(ddlPartitions, rebalance);
    }
    List<ConsumerRecord<byte[], byte[]>> tableRecords = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (!ddlPartitions.contains(new TopicPartition(record.topic(), record.partition()))) {
        tableRecords.add(record);
      }
    }
    DecodingThreads.Batch polled = tableRecords.isEmpty() ? null : dispatcher.decodeAhead(tableRecords);
    dispatchReadAhead();
    readAhead = polled;
    if (polled != null && !polled.isDecodedAhead()) {
      // nothing gained by holding records nobody decodes meanwhile (a few, or no helper threads)
      dispatchReadAhead();
    }
    afterDispatch();
  }

  private void noteRead(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      readFrom.putIfAbsent(tp, records.records(tp).get(0).offset());
    }
  }

  /** Feeds the records read ahead to the pipeline, unless the runner is aborting. */
  private void dispatchReadAhead() {
    DecodingThreads.Batch batch = readAhead;
    readAhead = null;
    if (batch != null) {
      dispatcher.dispatchAll(batch, () -> abortRequested);
    }
  }

  /** Forgets the records read ahead: they are read again from the offsets the pipeline falls back to. */
  private void dropReadAhead() {
    if (readAhead != null) {
      readAhead.abandon();
      readAhead = null;
    }
  }

  /** Commits what is due, and group offsets, once records were fed to the pipeline. */
  private void afterDispatch() {
    if (abortRequested) {
      return;
    }
    if (pipeline.isOverMemoryLimit()) {
      relieveMemoryPressure();
    }
    pipeline.flushDue();
    commitWhenABacklogIsRead();
    maybeCommitGroupOffsets();
    bufferedBytes = pipeline.bufferedBytes();
    sampleProgress();
  }

  /**
   * Commits every buffer once the consumer has caught up after being behind for a commit interval or more.
   * Through a backlog the buffers commit as they fill up; without this its last records would wait a whole
   * interval to be visible with nothing else to do meanwhile. A runner that keeps up, even one that falls
   * behind for moments, still commits at the interval: this adds at most one commit per interval of backlog.
   */
  private void commitWhenABacklogIsRead() {
    long now = System.currentTimeMillis();
    if (!caughtUpAtLastFetch(consumer.assignment())) {
      if (behindSinceMillis < 0) {
        behindSinceMillis = now;
      }
      return;
    }
    if (readAhead != null) {
      return; // what the consumer has handed out is not all in the buffers yet
    }
    if (behindSinceMillis >= 0 && now - behindSinceMillis >= commitIntervalMs) {
      LOG.debug("Caught up after {} ms behind: committing what is buffered", now - behindSinceMillis);
      pipeline.startFlushAll();
    }
    behindSinceMillis = -1;
  }

  private void process(ConsumerRecord<byte[], byte[]> record) {
    dispatcher.dispatch(record);
  }

  /**
   * The assigned partitions of schema-change topics: by Debezium's convention the topic named
   * {@code topic.prefix} beside table topics {@code <prefix>.<db>.<table>}.
   */
  private Set<TopicPartition> schemaChangePartitions() {
    Set<TopicPartition> assigned = consumer.assignment();
    Set<String> topics = new HashSet<>();
    for (TopicPartition tp : assigned) {
      topics.add(tp.topic());
    }
    Set<TopicPartition> ddl = new HashSet<>();
    for (TopicPartition tp : assigned) {
      String prefix = tp.topic() + ".";
      if (topics.stream().anyMatch(t -> t.startsWith(prefix))) {
        ddl.add(tp);
      }
    }
    return ddl;
  }

  /**
   * Reads the schema-change topic to its end before the data records of this poll are applied. Renames are
   * proven only by DDL records on their own topic; a runner working through a backlog would otherwise see the
   * renamed column's data first and add it as a new column. Data partitions are paused meanwhile.
   */
  private void catchUpOnSchemaChanges(Set<TopicPartition> ddlPartitions, Rebalance rebalance) {
    if (caughtUpAtLastFetch(ddlPartitions)) {
      return;
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(ddlPartitions, Duration.ofMillis(Math.max(5_000, pollTimeoutMs)));
    if (!behind(ends)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(10_000, pollTimeoutMs * 4));
    Set<TopicPartition> data = new HashSet<>(consumer.assignment());
    data.removeAll(ddlPartitions);
    data.removeAll(consumer.paused());
    consumer.pause(data);
    try {
      while (!abortRequested && behind(ends)) {
        if (System.nanoTime() > deadline) {
          LOG.warn("Schema-change partitions {} still lag after waiting; applying data records anyway",
              ddlPartitions);
          return;
        }
        ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ofMillis(Math.min(pollTimeoutMs, 200)));
        noteRead(more);
        rebalance.rethrow();
        for (ConsumerRecord<byte[], byte[]> record : more) {
          process(record);
        }
      }
    } finally {
      data.retainAll(consumer.assignment());
      consumer.resume(data);
    }
  }

  /**
   * Whether the last fetch responses put each partition's end at the consumer's position. Every fetch reports
   * the end of the partitions it asks for, so this is about as fresh as asking the broker for the end offsets,
   * which would cost a round trip to the broker at every poll.
   */
  private boolean caughtUpAtLastFetch(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the consumer's position is below {@code ends} for any partition it still owns. */
  private boolean behind(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.assignment().contains(e.getKey()) && consumer.position(e.getKey()) < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Over {@code tributary.buffer.max-bytes}: pauses every partition — so the consumer stops fetching ahead,
   * its fetch buffers being memory too — while the largest tables commit, then reads on.
   */
  private void relieveMemoryPressure() {
    LOG.info("Buffers hold {} bytes, over tributary.buffer.max-bytes: pausing consumption while the largest"
        + " tables commit", pipeline.bufferedBytes());
    Set<TopicPartition> pausing = new HashSet<>(consumer.assignment());
    pausing.removeAll(consumer.paused());
    consumer.pause(pausing);
    backPressurePauses++;
    try {
      pipeline.flushDue();
      commitGroupOffsets();
    } finally {
      consumer.resume(pausing);
    }
  }

  private void maybeCommitGroupOffsets() {
    if (tableCommitted || System.currentTimeMillis() - lastOffsetCommitMillis >= commitIntervalMs) {
      commitGroupOffsets();
    }
  }

  /**
   * Commits the pipeline's safe offsets of the assigned partitions as the group's offsets. They serve
   * monitoring and are a lower bound for resuming; a failure here loses nothing, so it is only logged.
   */
  private void commitGroupOffsets() {
    tableCommitted = false;
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, Long> committing = new HashMap<>();
    for (Map.Entry<StreamPartition, Long> e : pipeline.safeOffsets().entrySet()) {
      TopicPartition tp = new TopicPartition(e.getKey().topic(), e.getKey().partition());
      if (assigned.contains(tp) && !e.getValue().equals(lastGroupOffsets.get(tp))) {
        offsets.put(tp, new OffsetAndMetadata(e.getValue()));
        committing.put(tp, e.getValue());
      }
    }
    lastOffsetCommitMillis = System.currentTimeMillis();
    if (offsets.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        // close() woke the consumer for its poll; this last commit still has to happen
        consumer.commitSync(offsets);
      }
      lastGroupOffsets.putAll(committing);
      committing.forEach((tp, o) -> groupOffsets.put(StreamPartition.of(tp.topic(), tp.partition()), o));
      LOG.debug("Committed group offsets {}", offsets);
    } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
      LOG.warn("Could not commit the consumer group's offsets ({}); the tables hold the real progress", e.toString());
    }
  }

  /**
   * After a transient failure, or when partitions were lost or could not be committed before they went: drop
   * what is buffered and read it again from the offsets below which everything is committed, or, for a partition
   * the pipeline has consumed nothing of, from where it started reading it. A fresh pipeline forgets what the
   * failed one had consumed.
   */
  private void rewind() {
    dropReadAhead();
    Map<StreamPartition, Long> safe = pipeline.safeOffsets();
    pipeline.close();
    pipeline = newPipeline();
    dispatcher = new RecordDispatcher(decoder, pipeline, decoding);
    Map<TopicPartition, Long> targets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      Long offset = safe.getOrDefault(StreamPartition.of(tp.topic(), tp.partition()), readFrom.get(tp));
      if (offset != null) {
        consumer.seek(tp, offset);
        targets.put(tp, offset);
      }
    }
    readFrom.clear();
    readFrom.putAll(targets);
  }

  private boolean sleep(long millis) {
    long until = System.currentTimeMillis() + millis;
    try {
      while (!stopRequested && System.currentTimeMillis() < until) {
        Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.interrupted();
      return false;
    }
  }

  private static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TributaryException te) {
        return te.isRetryable();
      }
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private RuntimeException fatal(RuntimeException e) {
    if (e instanceof TributaryException) {
      return e;
    }
    if (e instanceof KafkaException && e.getCause() instanceof TributaryException te && !te.isRetryable()) {
      return te;
    }
    if (e instanceof KafkaException) {
      return new FatalException("The Kafka consumer of group " + consumerProps.get(ConsumerConfig.GROUP_ID_CONFIG)
          + " failed: " + e + ". Check the consumer properties (bootstrap.servers, security.protocol, SASL/SSL"
          + " settings) and the ACLs for the topics and the group. The tables hold everything committed so far;"
          + " a restart resumes from there.", e);
    }
    return new FatalException("The ingest runner failed: " + e + ". The tables hold everything committed so far;"
        + " a restart resumes from there.", e);
  }

  private void finish() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    // closing the consumer revokes its partitions; what had to be committed is, and after a failure or an
    // abort nothing may be
    rebalanceDisabled = true;
    if (pipeline != null) {
      pipeline.close();
    }
    if (decoding != null) {
      decoding.close();
    }
    if (c != null) {
      try {
        c.close(Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        LOG.warn("Closing the consumer failed: {}", e.toString());
      }
    }
    releaseDeadLetters();
    positions.clear();
    lag.clear();
    groupOffsets.clear();
    state = failure != null ? RunnerMetrics.State.FAILED : RunnerMetrics.State.CLOSED;
    if (failure != null) {
      LOG.error("The ingest runner stopped: {}", failure.getMessage());
    } else {
      LOG.info("The ingest runner stopped{}", abortRequested ? " without committing (abort)" : "");
    }
    terminated.countDown();
  }

  private void releaseDeadLetters() {
    if (ownedDeadLetters != null) {
      try {
        ownedDeadLetters.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing the dead-letter producer failed: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- metrics

  private void sampleProgress() {
    long now = System.currentTimeMillis();
    synchronized (eventSamples) {
      if (eventSamples.isEmpty() || now - eventSamples.peekLast()[0] >= 1000) {
        eventSamples.addLast(new long[] {now, pipelineMetrics.totalEvents()});
        while (eventSamples.size() > 11) {
          eventSamples.removeFirst();
        }
      }
    }
    Set<TopicPartition> assigned = consumer.assignment();
    positions.keySet().removeIf(p -> !assigned.contains(new TopicPartition(p.topic(), p.partition())));
    lag.keySet().removeIf(p -> !assigned.contains(new TopicPartition(p.topic(), p.partition())));
    groupOffsets.keySet().removeIf(p -> !assigned.contains(new TopicPartition(p.topic(), p.partition())));
    for (TopicPartition tp : assigned) {
      StreamPartition p = StreamPartition.of(tp.topic(), tp.partition());
      try {
        positions.put(p, consumer.position(tp, Duration.ZERO));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // the position is being reset; report it next time
      }
      OptionalLong l = consumer.currentLag(tp);
      if (l.isPresent()) {
        lag.put(p, l.getAsLong());
      }
    }
  }

  /** The properties the runner's consumer is created with: the user's, with the runner's own and its defaults. */
  Map<String, Object> consumerProperties() {
    return Collections.unmodifiableMap(consumerProps);
  }

  /** A snapshot of throughput, positions, lag and per-table counters; cheap, callable from any thread. */
  public RunnerMetrics metrics() {
    long now = System.currentTimeMillis();
    long events = pipelineMetrics.totalEvents();
    double rate = 0;
    synchronized (eventSamples) {
      if (!eventSamples.isEmpty()) {
        long[] first = eventSamples.peekFirst();
        long dt = now - first[0];
        if (dt > 0) {
          rate = (events - first[1]) * 1000.0 / dt;
        }
      }
    }
    Map<io.tributary.core.TableId, RunnerMetrics.TableStats> tables = new HashMap<>();
    pipelineMetrics.tables().forEach((t, c) -> tables.put(t, new RunnerMetrics.TableStats(c.events(), c.skipped(),
        c.rows(), c.deletes(), c.commits(), c.schemaChanges(), c.deadLetters(), c.lastCommitMillis())));
    return new RunnerMetrics(state, now, events, rate, pipelineMetrics.totalDeadLetters(), Map.copyOf(positions),
        Map.copyOf(lag), Map.copyOf(groupOffsets), tables, lastTableCommitMillis, lastOffsetCommitMillis, bufferedBytes,
        backPressurePauses);
  }

  private static Map<String, String> stringProps(Map<String, Object> props) {
    Map<String, String> out = new HashMap<>();
    props.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  // ---------------------------------------------------------------- rebalancing

  /**
   * Commits everything before partitions go, and on assignment seeks each partition to where the tables (or,
   * when further, the group) say everything below is committed. Errors are kept and rethrown after poll.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    private RuntimeException pending;

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty() || rebalanceDisabled || abortRequested) {
        return;
      }
      try {
        dispatchReadAhead();
        pipeline.flushAll();
        commitGroupOffsets();
      } catch (RuntimeException e) {
        if (!isTransient(e)) {
          pending = e;
          return;
        }
        // the new owner reads again from what the tables hold, and this runner the partitions it keeps
        LOG.warn("Could not commit before giving up partitions {} ({}); they are read again by their new owner",
            partitions, e.getMessage());
        rewind();
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // another member may already own them: committing our buffered records could duplicate theirs
      if (rebalanceDisabled) {
        return;
      }
      LOG.warn("Lost partitions {} without a clean handover; discarding what was buffered", partitions);
      // the partitions kept, when a rebalance takes only some, are read again
      rewind();
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty() || rebalanceDisabled || abortRequested) {
        return;
      }
      try {
        // commit first: other members may have committed tables meanwhile, and the refresh must see it
        dispatchReadAhead();
        pipeline.flushAll();
        pipeline.refreshCommittedState();
        List<StreamPartition> streams = partitions.stream()
            .map(tp -> StreamPartition.of(tp.topic(), tp.partition())).toList();
        Map<StreamPartition, Long> resume = pipeline.resumeOffsets(streams);
        Map<TopicPartition, OffsetAndMetadata> group;
        try {
          group = consumer.committed(new HashSet<>(partitions));
        } catch (WakeupException e) {
          // a close() racing with the assignment; the seek must still happen before anything is read
          group = consumer.committed(new HashSet<>(partitions));
        }
        Map<TopicPartition, OffsetAndMetadata> catchUp = new HashMap<>();
        for (TopicPartition tp : partitions) {
          readFrom.remove(tp);
          Long fromTables = resume.get(StreamPartition.of(tp.topic(), tp.partition()));
          OffsetAndMetadata fromGroup = group.get(tp);
          long target = Math.max(fromTables == null ? -1 : fromTables, fromGroup == null ? -1 : fromGroup.offset());
          if (target >= 0) {
            consumer.seek(tp, target);
            lastGroupOffsets.put(tp, fromGroup == null ? -1 : fromGroup.offset());
            if (fromGroup == null || fromGroup.offset() < target) {
              // the tables are ahead of the group (a crash between the two commits): let monitoring see it
              catchUp.put(tp, new OffsetAndMetadata(target));
            } else {
              groupOffsets.put(StreamPartition.of(tp.topic(), tp.partition()), target);
            }
            LOG.info("Assigned {}: resuming at offset {} (tables: {}, group: {})", tp, target,
                fromTables == null ? "none" : fromTables, fromGroup == null ? "none" : fromGroup.offset());
          } else {
            LOG.info("Assigned {}: no recorded offset, starting per auto.offset.reset={}", tp,
                consumerProps.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
          }
        }
        commitAssignedOffsets(catchUp);
      } catch (RuntimeException e) {
        pending = e;
      }
    }

    private void commitAssignedOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (offsets.isEmpty()) {
        return;
      }
      try {
        consumer.commitSync(offsets);
        offsets.forEach((tp, o) -> {
          lastGroupOffsets.put(tp, o.offset());
          groupOffsets.put(StreamPartition.of(tp.topic(), tp.partition()), o.offset());
        });
      } catch (CommitFailedException | RebalanceInProgressException | RetriableException | WakeupException e) {
        LOG.warn("Could not move the group's offsets up to the tables' offsets ({})", e.toString());
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        lastGroupOffsets.remove(tp);
        readFrom.remove(tp);
      }
    }

    void rethrow() {
      RuntimeException e = pending;
      if (e != null) {
        pending = null;
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------- builder

  /** Builds an {@link IngestRunner}; consumer properties (with {@code group.id}), topics and a sink are required. */
  public static final class Builder {
    private final Map<String, Object> consumerProps = new HashMap<>();
    private final Map<String, Object> producerProps = new HashMap<>();
    private List<String> topics;
    private Pattern topicPattern;
    private TableSink sink;
    private RecordDecoder decoder;
    private Settings settings = Settings.empty();
    private TableRouter router;
    private EvolutionPolicy policy;
    private PipelineListener listener;
    private DeadLetterHandler deadLetters;
    private String deadLetterTopic;

    private Builder() {}

    /**
     * Kafka consumer properties, passed unchanged (SSL, SASL/SCRAM, AWS MSK IAM...). {@code group.id} is
     * required; {@code enable.auto.commit} is always false and the deserializers are byte arrays.
     */
    public Builder consumerProperties(Map<String, ?> value) {
      consumerProps.putAll(value);
      return this;
    }

    public Builder consumerProperties(Properties value) {
      value.stringPropertyNames().forEach(n -> consumerProps.put(n, value.getProperty(n)));
      return this;
    }

    /** Extra properties of the dead-letter producer, over those taken from the consumer properties. */
    public Builder producerProperties(Map<String, ?> value) {
      producerProps.putAll(value);
      return this;
    }

    public Builder topics(List<String> value) {
      this.topics = List.copyOf(value);
      return this;
    }

    public Builder topics(String... value) {
      return topics(List.of(value));
    }

    /** Consumes every topic matching {@code value}, including topics created while running. */
    public Builder topicPattern(Pattern value) {
      this.topicPattern = value;
      return this;
    }

    public Builder sink(TableSink value) {
      this.sink = value;
      return this;
    }

    /** The record decoder; by default {@link DebeziumDecoders#create(Settings)} from {@code tributary.decoder.*}. */
    public Builder decoder(RecordDecoder value) {
      this.decoder = value;
      return this;
    }

    /** {@code tributary.*} settings of the runner, pipeline, decoder, and {@code kafka.*} consumer properties. */
    public Builder settings(Settings value) {
      this.settings = Objects.requireNonNull(value);
      return this;
    }

    public Builder settings(Map<String, String> value) {
      return settings(Settings.of(value));
    }

    /** Overrides the router configured by {@code tributary.route.*}. */
    public Builder router(TableRouter value) {
      this.router = value;
      return this;
    }

    /** Overrides the evolution policy configured by {@code tributary.schema.*}. */
    public Builder policy(EvolutionPolicy value) {
      this.policy = value;
      return this;
    }

    /** Receives pipeline events (on the runner thread), e.g. a Micrometer binder. */
    public Builder listener(PipelineListener value) {
      this.listener = value;
      return this;
    }

    /** Sends rejected records to this Kafka topic (overrides {@code tributary.dead-letter.topic}). */
    public Builder deadLetterTopic(String value) {
      this.deadLetterTopic = value;
      return this;
    }

    /** A dead-letter destination other than a Kafka topic. */
    public Builder deadLetters(DeadLetterHandler value) {
      this.deadLetters = value;
      return this;
    }

    public IngestRunner build() {
      return new IngestRunner(this);
    }
  }
}
