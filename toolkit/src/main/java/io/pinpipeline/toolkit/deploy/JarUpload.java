package io.pinpipeline.toolkit.deploy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.PatCredentialsProvider;
import com.databricks.sdk.service.files.AddBlock;
import com.databricks.sdk.service.files.Close;
import com.databricks.sdk.service.files.Create;
import com.databricks.sdk.service.files.UploadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * Puts the job jar into a Databricks workspace with the official SDK: into DBFS through the DBFS API
 * ({@code create}, {@code add-block}, {@code close}; {@code get-status} first), into a Unity Catalog volume through
 * the Files API ({@code PUT}/{@code HEAD /api/2.0/fs/files/...}). Never overwrites: the name carries the jar's hash,
 * so a file of that name and size is this jar already, and one of another size is a broken upload that a person
 * should look at.
 */
public final class JarUpload {
    /** DBFS's add-block takes at most 1 MB of data a call. */
    private static final int DBFS_BLOCK = 1 << 20;

    private final WorkspaceClient workspace;

    JarUpload(WorkspaceClient workspace) {
        this.workspace = workspace;
    }

    /**
     * A client for the workspace with a personal access token. Host, token and the PAT credentials provider are set
     * here, so that no other DATABRICKS_* variable or ~/.databrickscfg profile changes where it goes or who it is,
     * and the SDK's default chain does not first probe the workspace's OIDC endpoints (which it does even for a PAT).
     */
    public static JarUpload to(URI host, String token) {
        DatabricksConfig config = new DatabricksConfig()
                .setHost(host.toString())
                .setToken(token)
                .setAuthType("pat")
                .setCredentialsProvider(new PatCredentialsProvider());
        return new JarUpload(new WorkspaceClient(config));
    }

    /** What happened to the jar: uploaded to {@code path}, or already there. */
    public record Outcome(String path, boolean uploaded) {
    }

    public Outcome upload(JobJar jar, String folder) {
        String target = jar.in(folder);
        try {
            OptionalLong existing = size(target);
            if (existing.isPresent()) {
                if (existing.getAsLong() != jar.size()) {
                    throw DeployException.failed(target + " exists with " + existing.getAsLong() + " bytes, the jar has "
                            + jar.size() + ": a broken upload? Not overwriting it; delete it in the workspace and deploy again",
                            null);
                }
                return new Outcome(target, false);
            }
            if (target.startsWith("dbfs:/")) {
                uploadToDbfs(jar, dbfsPath(target));
            } else {
                try (InputStream in = Files.newInputStream(jar.path())) {
                    workspace.files().upload(new UploadRequest().setFilePath(target).setContents(in).setOverwrite(false));
                }
            }
            return new Outcome(target, true);
        } catch (DatabricksError e) {
            throw DeployException.failed("uploading the jar to " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar.path(), e);
        }
    }

    /** The size of the file at a DBFS or volume path, or empty when there is none. */
    private OptionalLong size(String path) {
        try {
            if (path.startsWith("dbfs:/")) {
                Long size = workspace.dbfs().getStatus(dbfsPath(path)).getFileSize();
                return OptionalLong.of(size == null ? -1 : size);
            }
            Long size = workspace.files().getMetadata(path).getContentLength();
            return OptionalLong.of(size == null ? -1 : size);
        } catch (DatabricksError e) {
            if (e.getStatusCode() == 404 || "RESOURCE_DOES_NOT_EXIST".equals(e.getErrorCode())) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** The DBFS API's own form of a path: absolute, without the scheme. */
    private static String dbfsPath(String path) {
        return path.substring("dbfs:".length());
    }

    /**
     * A streamed DBFS upload: create the file (overwrite off, so a concurrent deploy of the same jar fails rather than
     * interleaves), add it in 1 MB blocks, close it. The one-call {@code put} is limited to 1 MB, less than the jar.
     */
    private void uploadToDbfs(JobJar jar, String path) throws IOException {
        long handle = workspace.dbfs().create(new Create().setPath(path).setOverwrite(false)).getHandle();
        try (InputStream in = Files.newInputStream(jar.path())) {
            byte[] block = new byte[DBFS_BLOCK];
            for (int read = in.readNBytes(block, 0, block.length); read > 0; read = in.readNBytes(block, 0, block.length)) {
                String data = Base64.getEncoder().encodeToString(read == block.length ? block : java.util.Arrays.copyOf(block, read));
                workspace.dbfs().addBlock(new AddBlock().setHandle(handle).setData(data));
            }
        }
        workspace.dbfs().close(new Close().setHandle(handle));
    }
}
