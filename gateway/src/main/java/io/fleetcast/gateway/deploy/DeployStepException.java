package io.fleetcast.gateway.deploy;

/**
 * A failure the installer already knows how to classify (a failed prerequisite check, an
 * installer exit code, a pinned host key that changed), as opposed to a raw I/O exception
 * that {@link ErrorClassifier} must interpret.
 */
public final class DeployStepException extends RuntimeException {
  private final DeployFailure failure;

  public DeployStepException(DeployFailure failure) {
    super(failure.type().wire() + ": " + failure.detail(), null, false, false);
    this.failure = failure;
  }

  public static DeployStepException of(DeployError type, String detail) {
    return new DeployStepException(DeployFailure.of(type, detail));
  }

  public DeployFailure failure() {
    return failure;
  }
}
