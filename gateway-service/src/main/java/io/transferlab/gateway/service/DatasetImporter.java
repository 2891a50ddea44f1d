package io.transferlab.gateway.service;

import io.transferlab.contracts.Ids;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.dataset.DatasetManifest;
import io.transferlab.contracts.dataset.DatasetManifest.DatasetClass;
import io.transferlab.contracts.dataset.DatasetManifest.RejectedEntry;
import io.transferlab.contracts.json.Json;
import io.transferlab.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
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
 * are skipped and listed. The data set appears atomically (staging folder, then a rename), or not at all.
 */
@ApplicationScoped
public class DatasetImporter {

    private static final Logger LOG = Logger.getLogger(DatasetImporter.class);
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int HEADER_BYTES = 256 * 1024;

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
            long total = 0;
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
                    written = copyBounded(in, out, header, e.getName(), maxTotalBytes - total);
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

    /** Copies at most the per-entry limit and what the total allows, counting inflated bytes; keeps the head. */
    private long copyBounded(InputStream in, OutputStream out, byte[] header, String entry, long totalLeft)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) != -1) {
            if (n < header.length) {
                System.arraycopy(buf, 0, header, (int) n, (int) Math.min(r, header.length - n));
            }
            n += r;
            if (n > maxEntryBytes) {
                throw new PayloadTooLargeException("archive entry '" + entry + "' inflates to more than "
                        + maxEntryBytes + " bytes (the per-entry limit); nothing was stored");
            }
            if (n > totalLeft) {
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
