package io.nodb.faults;

/** The lock backends a scenario runs on. */
enum Backend {
  REDIS,
  LOCAL
}
