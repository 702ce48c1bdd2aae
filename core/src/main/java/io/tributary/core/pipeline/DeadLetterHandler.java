package io.tributary.core.pipeline;

/**
 * Where records that cannot be applied go when {@code tributary.errors.tolerance=all}: a dead-letter topic,
 * a file, a log. {@link #handle} must not return before the letter is durable, because the record's offset is
 * committed as done afterwards.
 */
@FunctionalInterface
public interface DeadLetterHandler {
  void handle(DeadLetter letter);
}
