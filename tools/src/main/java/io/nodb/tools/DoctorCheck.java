package io.nodb.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code nodb doctor}: what was checked, how it went, and what it means. Immutable.
 *
 * @param name the check, e.g. {@code persistence}
 * @param status {@code ok}, {@code warn}, {@code fail} or {@code info}
 * @param detail what was found and, for a warning, what it means
 */
record DoctorCheck(String name, String status, String detail) {

  static DoctorCheck ok(String name, String detail) {
    return new DoctorCheck(name, "ok", detail);
  }

  static DoctorCheck warn(String name, String detail) {
    return new DoctorCheck(name, "warn", detail);
  }

  static DoctorCheck info(String name, String detail) {
    return new DoctorCheck(name, "info", detail);
  }

  /** Returns this check as a JSON object. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("check", name);
    m.put("status", status);
    m.put("detail", detail);
    return m;
  }
}
