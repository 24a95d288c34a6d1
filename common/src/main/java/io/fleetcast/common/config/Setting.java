package io.fleetcast.common.config;

import java.util.Locale;

/**
 * One documented configuration setting: its path in the YAML file, the environment
 * variable that overrides it, its default and what it does.
 */
public record Setting(String path, Object defaultValue, String description) {

  /** {@code agent.maxFrameBytes} becomes {@code FLEETCAST_AGENT_MAX_FRAME_BYTES}. */
  public String envName() {
    StringBuilder sb = new StringBuilder("FLEETCAST_");
    for (char c : path.toCharArray()) {
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  public String defaultText() {
    return defaultValue == null ? "unset" : String.valueOf(defaultValue);
  }
}
