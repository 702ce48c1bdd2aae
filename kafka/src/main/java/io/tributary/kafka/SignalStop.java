package io.tributary.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops a runner on SIGTERM and SIGINT <em>before</em> the JVM begins to shut down, then hands the signal to
 * the handler that was there before (by default, the JVM's own, which runs the shutdown hooks and exits).
 *
 * <p>Why not a shutdown hook: the JVM runs all hooks at once, and Iceberg's worker pool and Hadoop's file
 * systems close from their own hooks, so a final commit made from a hook fails. Committing first and then
 * letting the JVM shut down as it would have keeps both.
 */
final class SignalStop {
  private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);
  private static final String[] SIGNALS = {"TERM", "INT"};

  private SignalStop() {}

  /** Installs the handlers; where the JVM does not allow one (e.g. {@code -Xrs}), falls back to a hook. */
  static void install(IngestRunner runner) {
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      SignalHandler[] previous = new SignalHandler[1];
      try {
        previous[0] = Signal.handle(signal, received -> stopThenForward(runner, received, previous[0]));
      } catch (IllegalArgumentException e) {
        LOG.warn("Cannot handle SIG{} ({}); closing the runner from a shutdown hook instead, where a final"
            + " Iceberg commit may fail", name, e.getMessage());
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "tributary-shutdown"));
        return;
      }
    }
  }

  private static void stopThenForward(IngestRunner runner, Signal received, SignalHandler previous) {
    // the handler runs on the JVM's signal dispatcher thread: do the blocking close elsewhere
    Thread stopper = new Thread(() -> {
      LOG.info("SIG{} received: committing what is buffered, then stopping", received.getName());
      runner.close();
      if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
        previous.handle(received);
      }
    }, "tributary-stop");
    stopper.start();
  }
}
