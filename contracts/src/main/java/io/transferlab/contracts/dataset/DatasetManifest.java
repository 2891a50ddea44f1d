package io.transferlab.contracts.dataset;

import java.time.Instant;
import java.util.List;

/**
 * {@code dataset.json} in an uploaded data set's folder ({@code <data dir>/uploads/<id>/}), written by the gateway
 * when the upload is complete: the folder holds {@code <class>/<image>} files and nothing else. Run specs name it
 * {@code "dataset": "dataset:<id>"}.
 *
 * @param classes in class-index order (sorted by name); a trainer labels images by this order
 * @param rejected archive entries that were not stored, with the reason
 * @param totalBytes bytes of the stored images
 */
public record DatasetManifest(
        int schemaVersion,
        String id,
        String name,
        List<DatasetClass> classes,
        int imageCount,
        long totalBytes,
        List<RejectedEntry> rejected,
        Instant createdAt) {

    public static final String FILE_NAME = "dataset.json";

    /** The value a run spec's {@code dataset} takes for this data set. */
    public String specReference() {
        return "dataset:" + id;
    }

    /** One class: its folder name and how many images it holds. */
    public record DatasetClass(int index, String name, int count) {
    }

    /** An archive entry that was skipped, and why. */
    public record RejectedEntry(String entry, String reason) {
    }
}
