package io.macp.operator.cluster;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format before logback starts: logback.xml sends the root logger to the appender
 * named by the system property {@value #PROPERTY}. JSON lines (one object per line) in a pod, where
 * a log collector parses them; plain text on a terminal. {@code LOG_FORMAT=json|plain} overrides.
 */
public final class LogFormat {
  public static final String PROPERTY = "macp.log.format";
  public static final String JSON = "json";
  public static final String PLAIN = "plain";

  private LogFormat() {}

  public static String choose(Map<String, String> env) {
    String asked = env.get("LOG_FORMAT");
    if (asked != null && !asked.isBlank()) {
      String format = asked.trim().toLowerCase(Locale.ROOT);
      // an unknown value must not leave logback without an appender
      return format.equals(JSON) ? JSON : PLAIN;
    }
    return insidePod(env) ? JSON : PLAIN;
  }

  /** Must run before the first logger is created. */
  public static void configure(Map<String, String> env) {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, choose(env));
    }
  }

  /** The kubelet sets this in every container. */
  public static boolean insidePod(Map<String, String> env) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    return host != null && !host.isBlank();
  }
}
