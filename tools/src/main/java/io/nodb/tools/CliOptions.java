package io.nodb.tools;

/**
 * The global options every subcommand reads ({@code --redis}, {@code --json}, {@code --wide}) and
 * the colours; implemented by the root command, injected into subcommands with
 * {@code @ParentCommand}.
 */
interface CliOptions {

  /** Returns the Redis URL from {@code --redis} or {@code NODB_REDIS_URL}, or null for local. */
  String redisUrl();

  /** Returns whether {@code --json} was given. */
  boolean json();

  /** Returns the width tables must fit: {@link TablePrinter#DEFAULT_WIDTH}, or 0 with --wide. */
  int width();

  /** Returns the colours of the text output ({@link Style#PLAIN} unless on a terminal). */
  Style style();
}
