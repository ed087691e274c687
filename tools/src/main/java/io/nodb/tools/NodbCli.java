package io.nodb.tools;

/** The {@code nodb} command line (placeholder until the CLI lands). */
public final class NodbCli {
  private NodbCli() {}

  /**
   * Runs the command line.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.out.println("nodb");
  }
}
