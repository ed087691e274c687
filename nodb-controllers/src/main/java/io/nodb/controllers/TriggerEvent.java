package io.nodb.controllers;

import io.nodb.store.NoDbEvent;

/**
 * Events one controller sends to others when a stage of a run completes. Every constant is distinct
 * (the Python original had two events with the same value, so one handler fired for both).
 */
public enum TriggerEvent implements NoDbEvent {
  /** The run was created with its controllers. */
  RUN_CREATED,
  /** The watershed outlet was set. */
  OUTLET_SET,
  /** Subcatchments and channels were delineated. */
  WATERSHED_ABSTRACTION_COMPLETE,
  /** Landuse codes were rebuilt for every hillslope. */
  LANDUSE_BUILD_COMPLETE,
  /** Climate inputs were parsed. */
  CLIMATE_BUILD_COMPLETE
}
