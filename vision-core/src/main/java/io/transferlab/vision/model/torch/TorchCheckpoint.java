package io.transferlab.vision.model.torch;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A PyTorch checkpoint holding a state dict ({@code torch.save(model.state_dict(), f)}), read without Python.
 * Two layouts exist and torchvision's published files use both:
 * <ul>
 *   <li>the zip format (torch 1.6 and later): {@code <name>/data.pkl} pickles the dict, whose tensors point
 *   (by persistent id {@code ('storage', <type>, <key>, <device>, <numel>)}) at raw storages
 *   {@code <name>/data/<key>}; {@code <name>/byteorder} says {@code little} or {@code big} (absent: little);</li>
 *   <li>the legacy format (before 1.6; e.g. {@code vgg16-397923af.pth}): five pickles one after the other
 *   (magic number, protocol version, system info, the dict, the list of storage keys), then each storage as an
 *   8-byte element count and its raw bytes.</li>
 * </ul>
 * Tensor bytes are read one tensor at a time, when asked for, so that a 528 MB VGG16 file is never on the heap.
 */
public final class TorchCheckpoint implements AutoCloseable {

    private static final BigIntegerHolder LEGACY_MAGIC = new BigIntegerHolder("1950a86a20f9469cfc6c");
    private static final long LEGACY_PROTOCOL = 1001;

    private final Map<String, TensorRef> tensors;
    private final ByteOrder order;
    private final ZipFile zip;
    private final String zipPrefix;
    private final FileChannel legacy;
    private final Map<String, Long> legacyOffsets;

    private TorchCheckpoint(Map<String, TensorRef> tensors, ByteOrder order, ZipFile zip, String zipPrefix,
            FileChannel legacy, Map<String, Long> legacyOffsets) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.order = order;
        this.zip = zip;
        this.zipPrefix = zipPrefix;
        this.legacy = legacy;
        this.legacyOffsets = legacyOffsets;
    }

    public static TorchCheckpoint open(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return openZip(file);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80) {
            return openLegacy(file);
        }
        throw new UnsupportedCheckpointException(file + " is neither a zip nor a legacy PyTorch checkpoint");
    }

    /** The state dict's tensors by name, in the file's order. */
    public Map<String, TensorRef> tensors() {
        return tensors;
    }

    /**
     * The tensor's elements as float32, contiguous, in native little-endian order, in a new direct buffer (the
     * form DJL copies into an array without another copy on the Java heap).
     */
    public ByteBuffer float32(TensorRef t) throws IOException {
        if (t.storage().dtype() != TensorRef.DType.FLOAT32 && t.storage().dtype() != TensorRef.DType.FLOAT64) {
            throw new UnsupportedCheckpointException("tensor of type " + t.storage().dtype() + " where float32 is "
                    + "expected");
        }
        if (!t.contiguous()) {
            throw new UnsupportedCheckpointException("non-contiguous tensor " + t + " is not supported");
        }
        int elem = t.storage().dtype().bytes;
        long numel = t.numel();
        if (t.offset() < 0 || t.offset() + numel > t.storage().numel()) {
            throw new UnsupportedCheckpointException("tensor " + t + " lies outside its storage of "
                    + t.storage().numel() + " elements");
        }
        ByteBuffer raw = ByteBuffer.allocateDirect(Math.toIntExact(numel * elem)).order(order);
        readStorage(t.storage(), t.offset() * elem, raw);
        raw.flip();
        if (t.storage().dtype() == TensorRef.DType.FLOAT32 && order == ByteOrder.LITTLE_ENDIAN) {
            return raw;
        }
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(numel * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < numel; i++) {
            out.putFloat(t.storage().dtype() == TensorRef.DType.FLOAT32 ? raw.getFloat() : (float) raw.getDouble());
        }
        return out.flip();
    }

    private void readStorage(TensorRef.Storage storage, long byteOffset, ByteBuffer into) throws IOException {
        long expectedBytes = storage.numel() * storage.dtype().bytes;
        if (zip != null) {
            ZipEntry entry = zip.getEntry(zipPrefix + "data/" + storage.key());
            if (entry == null) {
                throw new UnsupportedCheckpointException("storage " + storage.key() + " is missing from the archive");
            }
            if (entry.getSize() >= 0 && entry.getSize() != expectedBytes) {
                throw new UnsupportedCheckpointException("storage " + storage.key() + " has " + entry.getSize()
                        + " bytes, expected " + expectedBytes);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                in.skipNBytes(byteOffset);
                readFully(Channels.newChannel(in), into);
            }
        } else {
            Long start = legacyOffsets.get(storage.key());
            if (start == null) {
                throw new UnsupportedCheckpointException("storage " + storage.key() + " is missing from the file");
            }
            long position = start + byteOffset;
            while (into.hasRemaining()) {
                int n = legacy.read(into, position);
                if (n < 0) {
                    throw new EOFException("checkpoint ends inside storage " + storage.key());
                }
                position += n;
            }
        }
    }

    private static void readFully(ReadableByteChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new EOFException("archive entry ends early");
            }
        }
    }

    private static TorchCheckpoint openZip(Path file) throws IOException {
        ZipFile zip = new ZipFile(file.toFile());
        try {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")
                    && e.getName().indexOf('/') == e.getName().length() - "/data.pkl".length())
                    .findFirst()
                    .orElseThrow(() -> new UnsupportedCheckpointException(file + " has no <name>/data.pkl: not a "
                            + "PyTorch checkpoint"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null) {
                try (InputStream in = zip.getInputStream(byteorder)) {
                    String value = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
                    order = "big".equals(value) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                }
            }
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
                root = new SafeUnpickler(in, TorchCheckpoint::zipStorage).load();
            }
            return new TorchCheckpoint(stateDict(root, file), order, zip, prefix, null, null);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** {@code ('storage', torch.FloatStorage, '0', 'cpu', 9408)}. */
    private static Object zipStorage(List<Object> pid) {
        return storage(pid, 5);
    }

    /** Legacy ids add a view: {@code ('storage', type, key, location, numel, None)}. */
    private static Object legacyStorage(List<Object> pid) {
        if (pid.size() == 6 && pid.get(5) != null) {
            throw new IllegalArgumentException("storage views in legacy checkpoints are not supported");
        }
        return storage(pid, 6);
    }

    private static TensorRef.Storage storage(List<Object> pid, int size) {
        if (pid.size() != size || !"storage".equals(pid.get(0))
                || !(pid.get(1) instanceof SafeUnpickler.Global type) || !(pid.get(2) instanceof String key)) {
            throw new IllegalArgumentException("unexpected persistent id " + pid);
        }
        try {
            return new TensorRef.Storage(key, TensorRef.DType.ofStorage(type.name()),
                    SafeUnpickler.toLong(pid.get(4)));
        } catch (UnsupportedCheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static TorchCheckpoint openLegacy(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            CountingStream counting = new CountingStream(new BufferedInputStream(Channels.newInputStream(
                    channel.position(0)), 1 << 16));
            Object magic = new SafeUnpickler(counting, p -> {
                throw new IllegalArgumentException("persistent id in header");
            }).load();
            if (!LEGACY_MAGIC.matches(magic)) {
                throw new UnsupportedCheckpointException(file + " does not start with PyTorch's magic number");
            }
            Object protocol = new SafeUnpickler(counting, p -> null).load();
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw new UnsupportedCheckpointException(file + ": legacy protocol " + protocol + " is not supported");
            }
            Object sysInfo = new SafeUnpickler(counting, p -> null).load();
            ByteOrder order = sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))
                    ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            Map<String, TensorRef.Storage> storages = new HashMap<>();
            Object root = new SafeUnpickler(counting, pid -> {
                TensorRef.Storage s = (TensorRef.Storage) legacyStorage(pid);
                storages.putIfAbsent(s.key(), s);
                return storages.get(s.key());
            }).load();
            Object keys = new SafeUnpickler(counting, p -> null).load();
            if (!(keys instanceof List<?> keyList)) {
                throw new UnsupportedCheckpointException(file + ": no storage key list");
            }
            Map<String, Long> offsets = new HashMap<>();
            long position = counting.count;
            for (Object key : keyList) {
                TensorRef.Storage s = storages.get(String.valueOf(key));
                if (s == null) {
                    throw new UnsupportedCheckpointException(file + ": storage " + key + " is used by no tensor");
                }
                ByteBuffer count = ByteBuffer.allocate(8).order(order);
                while (count.hasRemaining()) {
                    if (channel.read(count, position + count.position()) < 0) {
                        throw new EOFException(file + " ends before storage " + key);
                    }
                }
                long numel = count.flip().getLong();
                if (numel != s.numel()) {
                    throw new UnsupportedCheckpointException(file + ": storage " + key + " has " + numel
                            + " elements, its tensors say " + s.numel());
                }
                offsets.put(s.key(), position + 8);
                position += 8 + numel * s.dtype().bytes;
            }
            if (position > channel.size()) {
                throw new EOFException(file + " is truncated: " + channel.size() + " bytes, storages need " + position);
            }
            return new TorchCheckpoint(stateDict(root, file), order, null, null, channel, offsets);
        } catch (IllegalArgumentException e) {
            channel.close();
            throw new UnsupportedCheckpointException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<String, TensorRef> stateDict(Object root, Path file) throws UnsupportedCheckpointException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new UnsupportedCheckpointException(file + " does not hold a state dict but a "
                    + SafeUnpickler.describe(root));
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
                throw new UnsupportedCheckpointException(file + ": entry " + e.getKey() + " is not a named tensor");
            }
            out.put(name, t);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    /** Counts the bytes the pickles consumed: the legacy storages start right after them. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private record BigIntegerHolder(String hex) {
        boolean matches(Object o) {
            return o instanceof java.math.BigInteger b && b.equals(new java.math.BigInteger(hex, 16));
        }
    }
}
