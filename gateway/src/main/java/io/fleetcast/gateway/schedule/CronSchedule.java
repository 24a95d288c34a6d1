package io.fleetcast.gateway.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron expression in a time zone (cron-utils). Five fields are classic Unix cron
 * ({@code 0 2 * * *}: every night at 02:00); six or seven fields are Quartz syntax with
 * seconds ({@code 0 0 2 ? * MON-FRI}).
 */
public final class CronSchedule {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.execution = ExecutionTime.forCron(cron);
  }

  /** Parses; throws IllegalArgumentException with a readable message for a bad expression or zone. */
  public static CronSchedule parse(String expression, String timeZone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + timeZone + "' (use an IANA name such as Europe/Berlin)");
    }
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    CronParser parser = fields == 5 ? UNIX : (fields == 6 || fields == 7) ? QUARTZ : null;
    if (parser == null) {
      throw new IllegalArgumentException("a cron expression has 5 fields (Unix) or 6-7 fields (Quartz, with seconds)");
    }
    try {
      Cron cron = parser.parse(trimmed);
      cron.validate();
      return new CronSchedule(trimmed, zone, cron);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression: " + e.getMessage());
    }
  }

  /** The first firing strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after) {
    return execution.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }
}
