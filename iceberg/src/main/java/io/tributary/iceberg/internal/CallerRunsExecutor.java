package io.tributary.iceberg.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task on the thread that submits it. Given to Iceberg's snapshot updates for their manifest work:
 * Iceberg waits for tasks on its worker pool by polling every 10 ms, which adds tens of milliseconds to a commit
 * that writes one or two manifests, more than the work itself.
 */
public final class CallerRunsExecutor extends AbstractExecutorService {
  /** One instance serves every commit: it holds no state and is never shut down. */
  public static final CallerRunsExecutor INSTANCE = new CallerRunsExecutor();

  private CallerRunsExecutor() {}

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("the shared caller-runs executor is never shut down");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("the shared caller-runs executor is never shut down");
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
