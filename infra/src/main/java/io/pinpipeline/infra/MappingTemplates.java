package io.pinpipeline.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The API Gateway request mapping templates of the Kinesis proxy, kept as files under {@code api/} in the module's
 * resources: the API stack puts them into the template, and the tests render them with Velocity.
 */
public final class MappingTemplates {
    public static final String LIST_STREAMS = "api/list-streams.vtl";
    public static final String DESCRIBE_STREAM = "api/describe-stream.vtl";
    public static final String CREATE_STREAM = "api/create-stream.vtl";
    public static final String DELETE_STREAM = "api/delete-stream.vtl";
    public static final String PUT_RECORD = "api/put-record.vtl";
    public static final String PUT_RECORDS = "api/put-records.vtl";

    private MappingTemplates() {
    }

    /** A template's text, as API Gateway gets it. */
    public static String read(String resource) {
        try (InputStream in = MappingTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no mapping template " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
