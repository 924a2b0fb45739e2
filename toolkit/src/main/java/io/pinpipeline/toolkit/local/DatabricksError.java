package io.pinpipeline.toolkit.local;

/**
 * A failed request of {@link LocalDatabricks}, answered as Databricks answers one: the HTTP status and the body
 * {@code {"error_code": "...", "message": "..."}}, so that clients (the Airflow provider, the Databricks SDKs)
 * raise the same errors they raise against a real workspace.
 */
final class DatabricksError extends RuntimeException {
    final int status;
    final String errorCode;

    DatabricksError(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    static DatabricksError invalid(String message) {
        return new DatabricksError(400, "INVALID_PARAMETER_VALUE", message);
    }

    static DatabricksError notFound(String message) {
        return new DatabricksError(404, "RESOURCE_DOES_NOT_EXIST", message);
    }

    static DatabricksError alreadyExists(String message) {
        return new DatabricksError(400, "RESOURCE_ALREADY_EXISTS", message);
    }
}
