package io.transferlab.vision.model.torch;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the subset of Python's pickle format that {@code torch.save(model.state_dict())} writes: dicts, lists,
 * tuples, strings, numbers, and exactly these globals: {@code collections.OrderedDict}, torch's storage types and
 * {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter}, which become {@link TensorRef}s. Any other
 * opcode or global is refused with {@link UnsupportedCheckpointException}: a pickle can name any Python callable,
 * and this reader calls none, it only recognises these names. Tuples become unmodifiable lists.
 */
final class SafeUnpickler {

    static final String ORDERED_DICT = "collections.OrderedDict";
    static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Set<String> STORAGE_TYPES = Set.of("FloatStorage", "DoubleStorage", "HalfStorage",
            "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage",
            "BoolStorage");

    /** A global this reader recognises (never called). */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    private static final Object MARK = new Object();

    private final DataInputStream in;
    private final Function<List<Object>, Object> persistentLoad;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    /** @param persistentLoad turns a persistent id (a tuple) into the object it stands for, e.g. a storage */
    SafeUnpickler(InputStream in, Function<List<Object>, Object> persistentLoad) {
        this.in = new DataInputStream(in);
        this.persistentLoad = persistentLoad;
    }

    /** Reads one pickle, up to and including its STOP opcode. */
    Object load() throws IOException {
        while (true) {
            int op = in.read();
            switch (op) {
                case -1 -> throw new EOFException("pickle ended without STOP");
                case 0x80 -> { // PROTO
                    int protocol = in.readUnsignedByte();
                    if (protocol > 5) {
                        throw new UnsupportedCheckpointException("pickle protocol " + protocol + " is not supported");
                    }
                }
                case 0x95 -> in.readLong(); // FRAME: a length hint only
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size());
                case '}' -> stack.add(new LinkedHashMap<>());
                case ']' -> stack.add(new ArrayList<>());
                case ')' -> stack.add(List.of());
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> stack.add((long) Integer.reverseBytes(in.readInt()));
                case 'K' -> stack.add((long) in.readUnsignedByte());
                case 'M' -> stack.add((long) (in.readUnsignedByte() | in.readUnsignedByte() << 8));
                case 0x8a -> stack.add(long1(in.readUnsignedByte()));
                case 'G' -> stack.add(in.readDouble());
                case 'X' -> stack.add(text(Integer.reverseBytes(in.readInt()), StandardCharsets.UTF_8));
                case 0x8c -> stack.add(text(in.readUnsignedByte(), StandardCharsets.UTF_8));
                case 'T' -> stack.add(text(Integer.reverseBytes(in.readInt()), StandardCharsets.ISO_8859_1));
                case 'U' -> stack.add(text(in.readUnsignedByte(), StandardCharsets.ISO_8859_1));
                case 'q' -> memo.put(in.readUnsignedByte(), peek());
                case 'r' -> memo.put(Integer.reverseBytes(in.readInt()), peek());
                case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.add(memoGet(in.readUnsignedByte()));
                case 'j' -> stack.add(memoGet(Integer.reverseBytes(in.readInt())));
                case 't' -> stack.add(Collections.unmodifiableList(popMark()));
                case 0x85 -> stack.add(Collections.singletonList(pop()));
                case 0x86 -> {
                    Object b = pop();
                    Object a = pop();
                    stack.add(Collections.unmodifiableList(java.util.Arrays.asList(a, b)));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    stack.add(Collections.unmodifiableList(java.util.Arrays.asList(a, b, c)));
                }
                case 'a' -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> dict = dict(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'c' -> stack.add(global(line(), line()));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    stack.add(global(String.valueOf(module), String.valueOf(name)));
                }
                case 'Q' -> { // BINPERSID
                    Object pid = pop();
                    if (!(pid instanceof List<?> tuple)) {
                        throw new UnsupportedCheckpointException("persistent id is not a tuple: " + pid);
                    }
                    @SuppressWarnings("unchecked")
                    List<Object> t = (List<Object>) tuple;
                    try {
                        stack.add(persistentLoad.apply(t));
                    } catch (IllegalArgumentException e) {
                        throw new UnsupportedCheckpointException(e.getMessage());
                    }
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    stack.add(reduce(callable, args));
                }
                case 'b' -> { // BUILD: only an OrderedDict's attributes (a state dict's _metadata), which we drop
                    pop();
                    if (!(peek() instanceof Map<?, ?>)) {
                        throw new UnsupportedCheckpointException("BUILD on " + describe(peek()) + " is not supported");
                    }
                }
                default -> throw new UnsupportedCheckpointException(String.format("pickle opcode 0x%02x is not "
                        + "supported: this reader only accepts state dicts of tensors", op));
            }
        }
    }

    private Object global(String module, String name) throws UnsupportedCheckpointException {
        Global g = new Global(module, name);
        String q = g.qualified();
        if (q.equals(ORDERED_DICT) || q.equals(REBUILD_TENSOR) || q.equals(REBUILD_PARAMETER)
                || module.equals("torch") && STORAGE_TYPES.contains(name)) {
            return g;
        }
        throw new UnsupportedCheckpointException("the pickle names the Python global " + q + ", which a state dict "
                + "of tensors does not need: refused (only " + ORDERED_DICT + ", " + REBUILD_TENSOR + ", "
                + REBUILD_PARAMETER + " and torch storage types are accepted)");
    }

    private Object reduce(Object callable, Object args) throws UnsupportedCheckpointException {
        if (!(callable instanceof Global g) || !(args instanceof List<?> a)) {
            throw new UnsupportedCheckpointException("cannot apply " + describe(callable) + " to " + describe(args));
        }
        switch (g.qualified()) {
            case ORDERED_DICT:
                if (!a.isEmpty()) {
                    throw new UnsupportedCheckpointException("OrderedDict with arguments is not supported");
                }
                return new LinkedHashMap<>();
            case REBUILD_TENSOR:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() < 4 || !(a.get(0) instanceof TensorRef.Storage storage)) {
                    throw new UnsupportedCheckpointException("unexpected arguments to " + REBUILD_TENSOR + ": "
                            + describe(args));
                }
                return new TensorRef(storage, toLong(a.get(1)), longs(a.get(2)), longs(a.get(3)));
            case REBUILD_PARAMETER:
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef t)) {
                    throw new UnsupportedCheckpointException("unexpected arguments to " + REBUILD_PARAMETER);
                }
                return t;
            default:
                throw new UnsupportedCheckpointException("cannot call " + g.qualified());
        }
    }

    private static long[] longs(Object tuple) throws UnsupportedCheckpointException {
        if (!(tuple instanceof List<?> list)) {
            throw new UnsupportedCheckpointException("expected a tuple of integers, got " + describe(tuple));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(list.get(i));
        }
        return out;
    }

    static long toLong(Object o) throws UnsupportedCheckpointException {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw new UnsupportedCheckpointException("expected an integer, got " + describe(o));
    }

    private Object long1(int n) throws IOException {
        byte[] le = in.readNBytes(n);
        if (le.length != n) {
            throw new EOFException();
        }
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String text(int length, java.nio.charset.Charset charset) throws IOException {
        if (length < 0 || length > (1 << 24)) {
            throw new UnsupportedCheckpointException("string of " + length + " bytes in a state dict");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException();
        }
        return new String(bytes, charset);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0 || sb.length() > 256) {
                throw new UnsupportedCheckpointException("malformed GLOBAL opcode");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private Object memoGet(int index) throws UnsupportedCheckpointException {
        if (!memo.containsKey(index)) {
            throw new UnsupportedCheckpointException("pickle refers to memo entry " + index + " before setting it");
        }
        return memo.get(index);
    }

    private Object pop() throws UnsupportedCheckpointException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new UnsupportedCheckpointException("malformed pickle: stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws UnsupportedCheckpointException {
        if (stack.isEmpty()) {
            throw new UnsupportedCheckpointException("malformed pickle: empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws UnsupportedCheckpointException {
        if (marks.isEmpty()) {
            throw new UnsupportedCheckpointException("malformed pickle: no MARK");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws UnsupportedCheckpointException {
        if (o instanceof ArrayList<?>) {
            return (List<Object>) o;
        }
        throw new UnsupportedCheckpointException("APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws UnsupportedCheckpointException {
        if (o instanceof LinkedHashMap<?, ?>) {
            return (Map<Object, Object>) o;
        }
        throw new UnsupportedCheckpointException("SETITEM on " + describe(o));
    }

    static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
