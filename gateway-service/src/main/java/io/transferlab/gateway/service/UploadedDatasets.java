package io.transferlab.gateway.service;

import io.transferlab.contracts.dataset.DatasetManifest;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.validation.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Reads the manifests of uploaded data sets (the shared data directory is the only state: any replica answers). */
@ApplicationScoped
public class UploadedDatasets {

    private static final Logger LOG = Logger.getLogger(UploadedDatasets.class);

    private final Path uploads;

    public UploadedDatasets(DatasetImporter importer) {
        this.uploads = importer.uploadsDir();
    }

    public List<DatasetManifest> list() {
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        List<DatasetManifest> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(uploads)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .toList()) {
                Path manifest = dir.resolve(DatasetManifest.FILE_NAME);
                if (Files.isRegularFile(manifest)) {
                    try {
                        out.add(Json.read(Files.readString(manifest), DatasetManifest.class));
                    } catch (RuntimeException | IOException e) {
                        LOG.warnf("skipping %s: %s", manifest, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + uploads, e);
        }
        out.sort(Comparator.comparing(DatasetManifest::createdAt).reversed());
        return out;
    }

    /** True when {@code id} has the shape of a data set id (anything else can never name one). */
    public static boolean isWellFormed(String id) {
        return id != null && Violations.ID.matcher(id).matches() && !id.startsWith(".");
    }

    /**
     * Adds a violation at {@code path} when {@code dataset} names an uploaded data set ({@code dataset:<id>}) that
     * is not stored: a run naming it could only fail on the trainer, after queueing. Built-in names and ids of the
     * wrong shape are the spec rules' business.
     */
    public void checkStored(Object dataset, String path, Violations v) {
        if (!(dataset instanceof String name) || !name.startsWith(RunSpec.DATASET_PREFIX)) {
            return;
        }
        String id = name.substring(RunSpec.DATASET_PREFIX.length());
        if (isWellFormed(id) && !Files.isRegularFile(uploads.resolve(id).resolve(DatasetManifest.FILE_NAME))) {
            v.add(path, "names no uploaded data set: '" + id + "' is not stored here (GET /api/v1/datasets lists "
                    + "them; POST /api/v1/datasets uploads one)");
        }
    }

    public DatasetManifest get(String id) {
        if (!Violations.ID.matcher(id).matches() || id.startsWith(".")) {
            throw new UnknownResourceException("data set " + id + " is not known (not a valid data set id)");
        }
        Path manifest = uploads.resolve(id).resolve(DatasetManifest.FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            throw new UnknownResourceException("data set " + id + " is not known");
        }
        try {
            return Json.read(Files.readString(manifest), DatasetManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }
}
