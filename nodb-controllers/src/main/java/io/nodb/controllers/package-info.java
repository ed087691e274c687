/**
 * Real model-run controllers (run metadata, climate, landuse, watershed) built on the nodb store.
 *
 * <p>The controllers arrive with the store; this module exists from the start so the dependency
 * direction {@code tools -> nodb-controllers -> nodb-core} is fixed from the first commit.
 */
package io.nodb.controllers;
