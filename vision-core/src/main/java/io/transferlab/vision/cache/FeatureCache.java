package io.transferlab.vision.cache;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frozen-backbone features on disk, one file per {@link FeatureKey}, bounded in total size (least recently used
 * entries are deleted first). Safe for concurrent trials: within a JVM one thread computes an entry while the
 * others wait for it; across processes each writes a private temporary file and renames it into place, so a
 * reader sees a whole entry or none (at worst two processes compute the same entry). An entry larger than the
 * whole bound is computed into a file that is unlinked at once and vanishes when its reader closes it.
 *
 * <p>File: magic, byte order, image count, feature shape, then float32 features image after image.
 */
public final class FeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final long MAGIC = 0x544c464541543031L; // "TLFEAT01"
    private static final String SUFFIX = ".features";
    private static final int HEADER_BYTES = 64;

    private final Path dir;
    private final long maxBytes;
    private final ConcurrentHashMap<String, Object> computing = new ConcurrentHashMap<>();
    private final Set<Path> open = ConcurrentHashMap.newKeySet();
    private final LongSupplier clockMillis;

    public FeatureCache(Path dir, long maxBytes) {
        this(dir, maxBytes, System::currentTimeMillis);
    }

    /**
     * With the clock that stamps an entry's last use (its file's modification time, which eviction orders by). Tests
     * pass a clock that advances by whole seconds, since a file system may keep modification times no finer.
     */
    FeatureCache(Path dir, long maxBytes, LongSupplier clockMillis) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.clockMillis = clockMillis;
    }

    /** A cache that caches nothing: trainers then run the backbone on every batch. */
    public static FeatureCache disabled() {
        return new FeatureCache(Path.of(System.getProperty("java.io.tmpdir")), 0);
    }

    /** False when the bound is 0: frozen backbones are then run on every batch of every epoch. */
    public boolean enabled() {
        return maxBytes > 0;
    }

    public Path dir() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Computes features image after image into a sink. */
    @FunctionalInterface
    public interface Producer {
        void produce(FeatureSink sink) throws IOException;
    }

    /** Receives features of consecutive images, as float32 bytes in native order. */
    public interface FeatureSink {
        void append(ByteBuffer features) throws IOException;
    }

    /** True when an entry for {@code key} is on disk now. */
    public boolean contains(FeatureKey key) {
        return Files.isRegularFile(entry(key));
    }

    /**
     * The features for {@code key}, computed by {@code producer} when absent. {@code labels} are the images'
     * labels, in order (they travel with the set, not in the file).
     */
    public FeatureSet open(FeatureKey key, int count, Shape featureShape, int[] labels, Producer producer) {
        if (!enabled()) {
            throw new IllegalStateException("the feature cache is disabled (size bound 0)");
        }
        long bytes = HEADER_BYTES + count * featureShape.size() * Float.BYTES;
        Path file = entry(key);
        try {
            Files.createDirectories(dir);
            Object lock = computing.computeIfAbsent(key.digest(), k -> new Object());
            synchronized (lock) {
                FeatureSet existing = tryOpen(file, count, featureShape, labels);
                if (existing != null) {
                    return existing;
                }
                Path tmp = dir.resolve(key.digest() + "." + UUID.randomUUID() + ".tmp");
                write(tmp, count, featureShape, producer);
                if (bytes > maxBytes) {
                    LOG.info("features of {} images ({} MB) exceed the cache bound of {} MB: kept for this run only",
                            count, bytes >> 20, maxBytes >> 20);
                    FeatureSet transientSet = openFile(tmp, count, featureShape, labels);
                    Files.deleteIfExists(tmp);
                    return transientSet;
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                touch(file);
                FeatureSet set = openFile(file, count, featureShape, labels);
                evict(file);
                return set;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("feature cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(clockMillis.getAsLong()));
    }

    private FeatureSet tryOpen(Path file, int count, Shape shape, int[] labels) throws IOException {
        try {
            FeatureSet set = openFile(file, count, shape, labels);
            touch(file);
            return set;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("discarding unreadable feature file {}: {}", file, e.getMessage());
            Files.deleteIfExists(file);
            return null;
        }
    }

    private void write(Path tmp, int count, Shape shape, Producer producer) throws IOException {
        long expected = count * shape.size() * Float.BYTES;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(header(count, shape), 0);
            ch.position(HEADER_BYTES);
            long[] written = {0};
            producer.produce(features -> {
                written[0] += features.remaining();
                while (features.hasRemaining()) {
                    ch.write(features);
                }
            });
            if (written[0] != expected) {
                throw new IOException("the backbone produced " + written[0] + " bytes of features, expected " + expected);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static ByteBuffer header(int count, Shape shape) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        h.putLong(MAGIC);
        h.put((byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 1 : 0));
        h.putInt(count);
        h.putInt(shape.dimension());
        for (long d : shape.getShape()) {
            h.putLong(d);
        }
        h.rewind();
        return h;
    }

    private FeatureSet openFile(Path file, int count, Shape shape, int[] labels) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer expected = header(count, shape);
            ByteBuffer actual = ByteBuffer.allocate(HEADER_BYTES);
            while (actual.hasRemaining() && ch.read(actual, actual.position()) > 0) {
                // read the whole header
            }
            actual.flip();
            long size = ch.size();
            if (!actual.equals(expected) || size != HEADER_BYTES + count * shape.size() * Float.BYTES) {
                throw new IOException("feature file " + file + " does not hold " + count + " x " + shape);
            }
            open.add(file);
            return new FeatureSet(ch, HEADER_BYTES, count, shape, labels, () -> open.remove(file));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Deletes least recently used entries until the total is within the bound; never the entry just added. */
    private void evict(Path keep) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(entries::add);
        }
        long total = 0;
        List<long[]> info = new ArrayList<>();
        for (Path p : entries) {
            try {
                long size = Files.size(p);
                total += size;
                info.add(new long[] {entries.indexOf(p), Files.getLastModifiedTime(p).toMillis(), size});
            } catch (NoSuchFileException e) {
                // removed by someone else meanwhile
            }
        }
        info.sort(Comparator.comparingLong(a -> a[1]));
        for (long[] e : info) {
            if (total <= maxBytes) {
                break;
            }
            Path p = entries.get((int) e[0]);
            if (p.equals(keep)) {
                continue;
            }
            // an open entry stays readable through its file handle after deletion
            if (Files.deleteIfExists(p)) {
                total -= e[2];
                LOG.info("feature cache evicted {} ({} MB){}", p.getFileName(), e[2] >> 20,
                        open.contains(p) ? " while in use" : "");
            }
        }
    }

    private Path entry(FeatureKey key) {
        return dir.resolve(key.digest() + SUFFIX);
    }

    /** Total bytes of entries on disk now. */
    public long sizeOnDisk() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
