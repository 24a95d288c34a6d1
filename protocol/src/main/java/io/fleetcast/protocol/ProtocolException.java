package io.fleetcast.protocol;

/**
 * A frame that breaks the agent channel contract. Carries the WebSocket close code the
 * receiver must answer with and a closed-set reason usable as a metric label.
 */
public final class ProtocolException extends RuntimeException {

  /** Why a frame was refused; the names are metric label values. */
  public enum Reason {
    INVALID_JSON(CloseCodes.INVALID_PAYLOAD, "invalid_json"),
    MISSING_FIELD(CloseCodes.POLICY_VIOLATION, "missing_field"),
    INVALID_FIELD(CloseCodes.POLICY_VIOLATION, "invalid_field"),
    UNEXPECTED_MESSAGE(CloseCodes.POLICY_VIOLATION, "unexpected_message"),
    TOO_BIG(CloseCodes.TOO_BIG, "too_big"),
    BINARY_FRAME(CloseCodes.UNSUPPORTED_DATA, "binary_frame");

    private final int closeCode;
    private final String label;

    Reason(int closeCode, String label) {
      this.closeCode = closeCode;
      this.label = label;
    }

    public int closeCode() {
      return closeCode;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public ProtocolException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public int closeCode() {
    return reason.closeCode();
  }
}
