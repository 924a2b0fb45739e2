package io.pinpipeline.jobs.lake;

/**
 * Where a table lives: a path (local, {@code s3://}, {@code dbfs:/}) or a catalog name such as a Unity
 * Catalog {@code catalog.schema.table}. Every read and write goes through {@link Lake}, which handles both.
 */
public record TableRef(String table, String location, boolean catalogName) {
    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";

    /** A location of two or three dot-separated identifiers (no slash, no scheme) is a catalog name. */
    public static TableRef of(String table, String location) {
        boolean catalog = location.matches(IDENTIFIER + "(\\." + IDENTIFIER + "){1,2}");
        return new TableRef(table, location, catalog);
    }

    @Override
    public String toString() {
        return table + " (" + location + ")";
    }
}
