package io.nodb.controllers;

/**
 * The outlet of a watershed read from the Python NoDb ({@code Outlet}, whose module moved between
 * wepppy versions): its fields other than the actual location (which is {@link
 * WatershedState#outletLon}/{@link WatershedState#outletLat}) in {@link #extra()}: {@code
 * requested_loc}, {@code distance_from_requested}, {@code pixel_coords}, {@code @class}. A plain
 * Jackson bean.
 */
public class WatershedOutlet extends WithExtras {}
