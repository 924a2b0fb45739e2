package io.pinpipeline.toolkit.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The built job jar and its immutable name on Databricks, {@code pinterest-jobs-<version>-<sha12>.jar}: the
 * project version read from the jar itself (so the name says what was built, not what the source says now) and
 * the first 12 hex digits of its SHA-256, so that one name always means the same bytes and a run's jar never
 * changes under it.
 */
public record JobJar(Path path, String version, String sha256, long size) {
    /** Maven writes the project's coordinates into every jar it builds; the shade plugin keeps them. */
    static final String POM_PROPERTIES = "META-INF/maven/io.pinpipeline/pinterest-jobs/pom.properties";
    static final int HASH_DIGITS = 12;

    /** The jar at {@code path}: its version, its SHA-256 and its size. */
    public static JobJar of(Path path) {
        try {
            return new JobJar(path, version(path), sha256(path), Files.size(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The versioned, immutable file name: {@code pinterest-jobs-<version>-<first 12 hex of SHA-256>.jar}. */
    public String fileName() {
        return fileName(version, sha256);
    }

    static String fileName(String version, String sha256) {
        return "pinterest-jobs-" + version + "-" + sha256.substring(0, HASH_DIGITS) + ".jar";
    }

    /** Where the jar goes in a folder ({@code dbfs:/...} or {@code /Volumes/...}). */
    public String in(String folder) {
        return (folder.endsWith("/") ? folder : folder + "/") + fileName();
    }

    private static String version(Path path) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            ZipEntry entry = jar.getEntry(POM_PROPERTIES);
            if (entry == null) {
                throw new IllegalStateException(path + " has no " + POM_PROPERTIES + ": not a jar that Maven built");
            }
            Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(entry)) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "").trim();
            if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalStateException(path + ": '" + version + "' in " + POM_PROPERTIES + " is not a version");
            }
            return version;
        }
    }

    static String sha256(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
