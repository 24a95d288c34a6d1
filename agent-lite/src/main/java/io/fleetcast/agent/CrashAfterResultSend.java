package io.fleetcast.agent;

/**
 * The {@code crashAfterResultSend} option ({@code --crash-after-result-send}): halts the agent right
 * after its first result frame is written, before any acknowledgement, so that a restart must resend
 * the result from disk. A listener, so that no production class carries the hook.
 */
final class CrashAfterResultSend implements AgentListener {
  private final Runnable halt;

  CrashAfterResultSend(Runnable halt) {
    this.halt = halt;
  }

  @Override
  public void onResultSent(String taskId) {
    halt.run();
  }
}
