package io.nodb.testing.workers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A worker for {@link WorkerJvmIT}: prints {@code ready}, then for each stdin line {@code echo
 * <line>}; {@code many N} prints N lines; {@code err} writes to stderr; {@code exit C} exits with
 * C.
 */
public final class EchoMain {

  private EchoMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("many ")) {
        for (int i = 0; i < Integer.parseInt(line.substring(5)); i++) {
          System.out.println("line " + i);
        }
      } else if (line.equals("err")) {
        System.err.println("on stderr");
      } else if (line.startsWith("exit ")) {
        System.out.flush();
        System.exit(Integer.parseInt(line.substring(5)));
      } else {
        System.out.println("echo " + line);
      }
      System.out.flush();
      System.err.flush();
    }
  }
}
