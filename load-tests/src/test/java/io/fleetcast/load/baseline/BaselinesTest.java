package io.fleetcast.load.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaselinesTest {

  /** Each trial sends the same frame with a new task id of the same length, so clients treat it as a new task. */
  @Test
  void newTaskIdKeepsTheFrameShape() {
    String frame = "{\"type\":\"task\",\"taskId\":\"11111111-1111-4111-8111-111111111111\",\"rolloutId\":\"r\"}";
    String next = Baselines.withNewTaskId(frame);
    assertThat(next).hasSameSizeAs(frame).isNotEqualTo(frame).startsWith("{\"type\":\"task\",\"taskId\":\"")
        .endsWith("\",\"rolloutId\":\"r\"}");
  }
}
