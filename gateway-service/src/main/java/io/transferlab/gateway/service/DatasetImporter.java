package io.transferlab.gateway.service;

import io.transferlab.contracts.Ids;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.dataset.DatasetManifest;
import io.transferlab.contracts.dataset.DatasetManifest.DatasetClass;
import io.transferlab.contracts.dataset.DatasetManifest.RejectedEntry;
import io.transferlab.contracts.json.Json;
import io.transferlab.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jboss.logging.Logger;

/**
 * Turns a zip of class folders ({@code <class>/<image>}, optionally under one top folder) into a data set under
 * {@code <data dir>/uploads/<id>/}. Guards: entry names that would leave the folder (zip-slip) reject the whole
 * archive; entry count, inflated bytes per entry and in total are bounded (zip bombs) by counting the bytes
 * actually inflated, not the sizes the archive declares; entries that are not JPEG/PNG images in a class folder
 * are skipped and listed. Every inflated byte counts toward the total, those of rejected entries too. The data set
 * appears atomically (staging folder, then a rename), or not at all; a delete removes it the same way.
 */
@ApplicationScoped
public class DatasetImporter {

    private static final Logger LOG = Logger.getLogger(DatasetImporter.class);
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int HEADER_BYTES = 256 * 1024;
    /** Leftovers older than this belong to no import in progress (see {@link #removeLeftovers}). */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofHours(1);

    private final Path uploads;
    private final int maxEntries;
    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final ImageInspector inspector;

    public DatasetImporter(GatewayConfig config) {
        this.uploads = config.datasets().dir().resolve("uploads");
        this.maxEntries = config.datasets().maxEntries();
        this.maxEntryBytes = config.datasets().maxEntrySize().asLongValue();
        this.maxTotalBytes = config.datasets().maxTotalSize().asLongValue();
        this.inspector = new ImageInspector(config.classify().minSide(), config.classify().maxSide());
    }

    public Path uploadsDir() {
        return uploads;
    }

    /**
     * Removes what an import or a delete cut short by a crash left behind: {@code .staging-*} and {@code .deleting-*}
     * folders and spooled uploads in {@code .incoming}. Runs at start. Replicas share the folder, so only leftovers
     * untouched for {@link #LEFTOVER_AGE} go (an import or a delete in progress on another replica writes to its
     * folder all along, and takes seconds to minutes).
     *
     * @return how many were removed
     */
    public int removeLeftovers() {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(LEFTOVER_AGE);
        int removed = 0;
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> top = Files.list(uploads)) {
            top.filter(p -> p.getFileName().toString().startsWith(".staging-")
                    || p.getFileName().toString().startsWith(".deleting-")).forEach(candidates::add);
        } catch (IOException e) {
            LOG.warnf("cannot look for leftovers in %s: %s", uploads, e.getMessage());
            return 0;
        }
        Path incoming = uploads.resolve(".incoming");
        if (Files.isDirectory(incoming)) {
            try (Stream<Path> spooled = Files.list(incoming)) {
                spooled.forEach(candidates::add);
            } catch (IOException e) {
                LOG.warnf("cannot look for leftovers in %s: %s", incoming, e.getMessage());
            }
        }
        for (Path p : candidates) {
            try {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    deleteTree(p);
                    removed++;
                }
            } catch (IOException e) {
                LOG.warnf("cannot check leftover %s: %s", p, e.getMessage());
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d leftover(s) of interrupted uploads or deletes from %s", removed, uploads);
        }
        return removed;
    }

    void onStart(@Observes StartupEvent event) {
        removeLeftovers();
    }

    /**
     * Deletes a stored data set: renamed out of sight atomically (readers see it whole or not at all), then removed.
     * Runs that already read it keep their copy in memory.
     *
     * @throws UnknownResourceException when no data set has this id
     */
    public void delete(String id) {
        Path dir = uploads.resolve(id);
        if (!Files.isRegularFile(dir.resolve(DatasetManifest.FILE_NAME))) {
            throw new UnknownResourceException("data set " + id + " is not known");
        }
        Path doomed = uploads.resolve(".deleting-" + id + "-" + java.util.UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UnknownResourceException("data set " + id + " is not known");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete data set " + id + " under " + uploads, e);
        }
        deleteTree(doomed);
        LOG.infof("data set %s deleted", id);
    }

    /**
     * @throws InvalidDatasetException not a zip, zip-slip entry, fewer than two classes with images
     * @throws PayloadTooLargeException too many entries, an entry or the whole inflating past its limit
     */
    public DatasetManifest importZip(Path zipFile, String name) {
        String id = Ids.newId("ds");
        Path staging = uploads.resolve(".staging-" + id);
        boolean done = false;
        try {
            Files.createDirectories(staging);
            DatasetManifest manifest = extract(zipFile, staging, id, name);
            Files.writeString(staging.resolve(DatasetManifest.FILE_NAME), Json.write(manifest));
            Files.move(staging, uploads.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            done = true;
            LOG.infof("data set %s stored: %d classes, %d images, %d entries rejected", id,
                    manifest.classes().size(), manifest.imageCount(), manifest.rejected().size());
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store data set " + id + " under " + uploads, e);
        } finally {
            if (!done) {
                deleteTree(staging);
            }
        }
    }

    private DatasetManifest extract(Path zipFile, Path staging, String id, String name) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(zipFile.toFile());
        } catch (ZipException e) {
            throw new InvalidDatasetException("the upload is not a readable zip archive: " + e.getMessage());
        }
        try (zip) {
            if (zip.size() > maxEntries) {
                throw new PayloadTooLargeException("the archive has " + zip.size() + " entries; at most "
                        + maxEntries + " are accepted");
            }
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            for (ZipEntry e : entries) {
                checkSafe(e.getName()); // before anything is written
            }
            String root = commonRoot(entries);
            List<RejectedEntry> rejected = new ArrayList<>();
            Map<String, Integer> counts = new TreeMap<>();
            long total = 0; // bytes stored
            Inflated inflated = new Inflated(); // every byte inflated, rejected entries included
            int stored = 0;
            for (ZipEntry e : entries) {
                if (e.isDirectory()) {
                    continue;
                }
                String path = root == null ? e.getName() : e.getName().substring(root.length() + 1);
                String[] parts = path.split("/");
                String reason = placementProblem(parts);
                if (reason != null) {
                    rejected.add(new RejectedEntry(e.getName(), reason));
                    continue;
                }
                String className = parts[0];
                Path classDir = staging.resolve(className);
                Files.createDirectories(classDir);
                Path target = classDir.resolve(fileName(parts[1], stored));
                byte[] header = new byte[HEADER_BYTES];
                long written;
                try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                    written = copyBounded(in, out, header, e.getName(), inflated);
                } catch (ZipException z) {
                    Files.deleteIfExists(target);
                    rejected.add(new RejectedEntry(e.getName(), "corrupt archive entry: " + z.getMessage()));
                    continue;
                }
                try {
                    inspector.inspect(header, (int) Math.min(written, HEADER_BYTES));
                } catch (ImageRejectedException bad) {
                    Files.delete(target);
                    rejected.add(new RejectedEntry(e.getName(), bad.getMessage()));
                    continue;
                }
                total += written;
                stored++;
                counts.merge(className, 1, Integer::sum);
            }
            if (counts.size() < 2) {
                throw new InvalidDatasetException("a data set needs at least two class folders with images; found "
                        + counts.size() + (counts.isEmpty() ? "" : " " + counts.keySet()) + " (" + rejected.size()
                        + " entries skipped" + (rejected.isEmpty() ? "" : ", e.g. " + rejected.get(0).entry() + ": "
                        + rejected.get(0).reason()) + "). Expected layout: <class>/<image>.jpg|png");
            }
            List<DatasetClass> classes = new ArrayList<>();
            counts.forEach((cls, n) -> classes.add(new DatasetClass(classes.size(), cls, n)));
            return new DatasetManifest(SchemaVersion.CURRENT, id, name, classes, stored, total, rejected,
                    Instant.now());
        }
    }

    /** Rejects names that could escape the target folder: absolute, drive letters, '..', backslashes, NUL. */
    static void checkSafe(String name) {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || (name.length() > 1 && name.charAt(1) == ':');
        if (!bad) {
            for (String part : name.split("/")) {
                if (part.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw new InvalidDatasetException("archive entry '" + name.replace("\0", "\\0") + "' has an unsafe "
                    + "path (absolute, '..', drive letter or backslash: zip-slip); nothing was stored");
        }
    }

    /** The single top folder every file sits in with at least two more levels below it, or null. */
    private static String commonRoot(List<? extends ZipEntry> entries) {
        String root = null;
        for (ZipEntry e : entries) {
            if (e.isDirectory() || junk(e.getName())) {
                continue;
            }
            String[] parts = e.getName().split("/");
            if (parts.length != 3) {
                return null;
            }
            if (root == null) {
                root = parts[0];
            } else if (!root.equals(parts[0])) {
                return null;
            }
        }
        return root;
    }

    private static boolean junk(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".") || part.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    private static String placementProblem(String[] parts) {
        String joined = String.join("/", parts);
        if (junk(joined)) {
            return "hidden or system file";
        }
        if (parts.length != 2) {
            return "not inside a class folder (expected <class>/<image>)";
        }
        if (!CLASS_NAME.matcher(parts[0]).matches()) {
            return "class folder name '" + parts[0] + "' is not allowed (1-64 letters, digits, space, '.', '_', '-')";
        }
        return null;
    }

    private static String fileName(String original, int n) {
        String base = FILE_NAME.matcher(original).matches() ? original : "image";
        return String.format("%06d-%s", n, base); // the prefix keeps names unique and the archive's order
    }

    /** Bytes inflated so far by one upload, whatever became of their entries. */
    private static final class Inflated {
        long bytes;
    }

    /**
     * Copies at most the per-entry limit and what the total allows, counting inflated bytes (into {@code inflated}
     * as they come, so that an entry rejected afterwards, or cut short by a corrupt stream, still counts); keeps the
     * head.
     */
    private long copyBounded(InputStream in, OutputStream out, byte[] header, String entry, Inflated inflated)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) != -1) {
            if (n < header.length) {
                System.arraycopy(buf, 0, header, (int) n, (int) Math.min(r, header.length - n));
            }
            n += r;
            inflated.bytes += r;
            if (n > maxEntryBytes) {
                throw new PayloadTooLargeException("archive entry '" + entry + "' inflates to more than "
                        + maxEntryBytes + " bytes (the per-entry limit); nothing was stored");
            }
            if (inflated.bytes > maxTotalBytes) {
                throw new PayloadTooLargeException("the archive inflates to more than " + maxTotalBytes
                        + " bytes (the total limit); nothing was stored");
            }
            out.write(buf, 0, r);
        }
        return n;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    LOG.warnf("cannot delete %s: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("cannot clean up %s: %s", dir, e.getMessage());
        }
    }
}
