package io.pinpipeline.infra;

/** A bad argument or setting of the CDK app: one line that names it. */
public final class InfraSettingsException extends RuntimeException {
    public InfraSettingsException(String message) {
        super(message);
    }
}
