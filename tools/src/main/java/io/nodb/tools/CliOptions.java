package io.nodb.tools;

/**
 * The global options every subcommand reads ({@code --redis}, {@code --json}); implemented by the
 * root command, injected into subcommands with {@code @ParentCommand}.
 */
interface CliOptions {

  /** Returns the Redis URL from {@code --redis} or {@code NODB_REDIS_URL}, or null for local. */
  String redisUrl();

  /** Returns whether {@code --json} was given. */
  boolean json();
}
