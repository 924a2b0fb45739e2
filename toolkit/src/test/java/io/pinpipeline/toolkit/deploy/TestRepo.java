package io.pinpipeline.toolkit.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A small repository root for deploy's tests: a job jar as Maven builds it (with its pom.properties), a DAG folder
 * with files that must go and files that must not, and a requirements file. The real dags/ is not used: its
 * content is not deploy's business.
 */
final class TestRepo {
    private TestRepo() {
    }

    /** The DAG files that deploy must upload, relative to dags/. */
    static final String[] DEPLOYED = {"pinterest_batch.py", "pinterest_jobs/__init__.py", "pinterest_jobs/jar_task.py",
            "pinterest_jobs/jobs.json"};

    static Path create(Path home, String version, int jarPayloadBytes, long seed) throws IOException {
        writeJar(home.resolve(Deploy.JAR), version, jarPayloadBytes, seed);
        Path dags = home.resolve(Deploy.DAGS);
        write(dags.resolve("pinterest_batch.py"), "\"\"\"The daily batch.\"\"\"\nfrom pinterest_jobs.jar_task import jar_task\n");
        write(dags.resolve("pinterest_jobs/__init__.py"), "");
        write(dags.resolve("pinterest_jobs/jar_task.py"), "def jar_task(job):\n    return job\n");
        // The job list the DAGs read beside them (not a .py file, and needed on MWAA all the same).
        write(dags.resolve("pinterest_jobs/jobs.json"), "{\"jobs\": []}\n");
        write(dags.resolve("tests/test_x.py"), "def test_x():\n    pass\n");
        write(dags.resolve("__pycache__/x.cpython-312.pyc"), "compiled");
        write(dags.resolve("pinterest_jobs/__pycache__/jar_task.cpython-312.pyc"), "compiled");
        write(dags.resolve("pinterest_jobs/stale.pyc"), "compiled");
        write(home.resolve(Deploy.REQUIREMENTS), "--constraint \"https://raw.githubusercontent.com/apache/airflow/"
                + "constraints-2.10.3/constraints-3.11.txt\"\napache-airflow-providers-databricks==6.12.0\n");
        return home;
    }

    /**
     * A jar with Maven's pom.properties and a stored (uncompressed) random payload, so its size is about
     * {@code payloadBytes}: above 1 MB it takes more than one DBFS block.
     */
    static void writeJar(Path jar, String version, int payloadBytes, long seed) throws IOException {
        Files.createDirectories(jar.getParent());
        byte[] payload = new byte[payloadBytes];
        new Random(seed).nextBytes(payload);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new ZipEntry(JobJar.POM_PROPERTIES));
            out.write(("artifactId=pinterest-jobs\ngroupId=io.pinpipeline\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            ZipEntry entry = new ZipEntry("payload.bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(payload.length);
            CRC32 crc = new CRC32();
            crc.update(payload);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(payload);
            out.closeEntry();
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
