package io.nodb.lock.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script shipped as a resource next to this class, with its SHA-1 for {@code EVALSHA}.
 * Immutable and thread-safe.
 *
 * @param name the resource name without {@code .lua}
 * @param source the script text
 * @param sha1 the hex SHA-1 of the text, as Redis computes it
 * @param retryable whether running it twice with the same arguments is harmless (so a call that
 *     failed on a broken connection may be retried)
 */
record LuaScript(String name, String source, String sha1, boolean retryable) {

  static final LuaScript ACQUIRE = load("acquire", true);
  static final LuaScript RELEASE = load("release", false);
  static final LuaScript EXTEND = load("extend", true);
  static final LuaScript INSPECT = load("inspect", true);
  static final LuaScript EVICT = load("evict", true);
  static final LuaScript READ_INDEX = load("read-index", true);
  static final LuaScript LIFT = load("lift", true);
  static final LuaScript HOLD = load("hold", false);
  static final LuaScript PRUNE = load("prune", true);
  static final LuaScript SET_PUBLISH = load("set-publish", true);

  static LuaScript load(String name, boolean retryable) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script resource " + name + ".lua");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] sha =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(sha), retryable);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + name, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }
}
