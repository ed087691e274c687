package io.nodb.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values into text and back, for stores that keep text (such as {@link RedisValueStore}).
 *
 * <p>Implementations must be thread-safe, and {@code decode(encode(v))} must equal {@code v}.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * Encodes a value.
   *
   * @param value never null
   * @return its text form
   */
  String encode(V value);

  /**
   * Decodes a value.
   *
   * @param text what {@link #encode} returned
   * @return the value
   */
  V decode(String text);

  /** Returns the identity codec for strings. */
  static ValueCodec<String> strings() {
    return of(Function.identity(), Function.identity());
  }

  /**
   * Returns a codec made of two functions.
   *
   * @param encode value to text
   * @param decode text to value
   * @param <V> the value type
   * @return the codec
   */
  static <V> ValueCodec<V> of(Function<V, String> encode, Function<String, V> decode) {
    Objects.requireNonNull(encode, "encode");
    Objects.requireNonNull(decode, "decode");
    return new ValueCodec<>() {
      @Override
      public String encode(V value) {
        return encode.apply(value);
      }

      @Override
      public V decode(String text) {
        return decode.apply(text);
      }
    };
  }

  /**
   * Returns a JSON codec (Jackson) for a type with a default mapper.
   *
   * @param type the value class (a record, a bean, a {@code Map}...)
   * @param <V> the value type
   * @return the codec
   */
  static <V> ValueCodec<V> json(Class<V> type) {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    Objects.requireNonNull(type, "type");
    return new ValueCodec<>() {
      @Override
      public String encode(V value) {
        try {
          return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException("cannot encode " + type.getName() + " as JSON", e);
        }
      }

      @Override
      public V decode(String text) {
        try {
          return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException("cannot decode JSON as " + type.getName(), e);
        }
      }
    };
  }
}
