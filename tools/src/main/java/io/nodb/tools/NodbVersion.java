package io.nodb.tools;

import picocli.CommandLine.IVersionProvider;

/** Supplies {@code --version}: the implementation version from the jar manifest. */
final class NodbVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = NodbVersion.class.getPackage().getImplementationVersion();
    return new String[] {"nodb " + (v == null ? "development build" : v)};
  }
}
