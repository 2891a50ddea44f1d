package io.transferlab.inference.service;

import io.transferlab.vision.Classifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The loaded models, bounded by count and by parameter memory, least recently used evicted first. A model is
 * loaded on first use (concurrent first uses wait for one load) and swapped for a newer version by
 * {@link #reload}. Evicted and replaced models are retired: requests that already hold a lease finish on them,
 * and they are closed when the last lease is released.
 */
public final class ModelCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);
    private static final int ACQUIRE_ATTEMPTS = 3;

    /** Bounds of the cache; a single model larger than {@code maxBytes} is still served, alone. */
    public record Limits(int maxModels, long maxBytes) {
        public Limits {
            if (maxModels < 1) {
                throw new IllegalArgumentException("the model cache must hold at least 1 model");
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("the model cache needs a positive byte budget");
            }
        }
    }

    /** What the cache does, for metrics. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void hit(String modelId) {
        }

        default void miss(String modelId) {
        }

        default void loaded(String modelId, int version, long nanos) {
        }

        default void evicted(String modelId, int version) {
        }

        default void reloaded(String modelId, int fromVersion, int toVersion) {
        }
    }

    /** One resident model, for health and metadata. */
    public record Resident(String modelId, int version, long parameterBytes, int leases) {
    }

    private final ModelSource source;
    private final Limits limits;
    private final Consumer<Classifier> warmUp;
    private final Listener listener;
    /** Access order: iteration starts at the least recently used model. */
    private final LinkedHashMap<String, LoadedModel> resident = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<LoadedModel>> loading = new HashMap<>();
    private long residentBytes;
    private boolean closed;

    /**
     * @param warmUp runs a freshly loaded classifier once per input shape on the threads that will use it, before
     *        any request sees it
     */
    public ModelCache(ModelSource source, Limits limits, Consumer<Classifier> warmUp, Listener listener) {
        this.source = source;
        this.limits = limits;
        this.warmUp = warmUp;
        this.listener = listener;
    }

    /**
     * A lease on the newest loaded version of {@code modelId}, loading it when it is not resident.
     *
     * @throws io.transferlab.vision.VisionException when the model is unknown, lacks weights or cannot be loaded
     */
    public ModelLease acquire(String modelId) {
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<LoadedModel> pending;
            boolean loader = false;
            synchronized (this) {
                requireOpen();
                LoadedModel model = resident.get(modelId);
                if (model != null && model.tryAcquire()) {
                    listener.hit(modelId);
                    return new ModelLease(model);
                }
                listener.miss(modelId);
                pending = loading.get(modelId);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    loading.put(modelId, pending);
                    loader = true;
                }
            }
            if (loader) {
                load(modelId, pending);
            }
            LoadedModel model = await(pending);
            if (model.tryAcquire()) {
                return new ModelLease(model);
            }
            // Evicted or replaced between its load and this lease (a cache smaller than its traffic): look again.
            if (attempt == ACQUIRE_ATTEMPTS) {
                throw new IllegalStateException("model " + modelId + " was evicted " + attempt + " times before it "
                        + "could serve: the model cache (" + limits + ") is too small for the traffic");
            }
        }
    }

    private void load(String modelId, CompletableFuture<LoadedModel> pending) {
        LoadedModel model;
        try {
            model = open(() -> source.open(modelId));
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                loading.remove(modelId);
            }
            pending.completeExceptionally(e);
            return;
        }
        LoadedModel winner;
        List<LoadedModel> retire = new ArrayList<>();
        synchronized (this) {
            loading.remove(modelId);
            winner = closed ? null : install(model, retire);
        }
        retireAll(retire);
        if (winner == null) {
            pending.completeExceptionally(new IllegalStateException("the model cache is closed"));
        } else {
            pending.complete(winner);
        }
    }

    /**
     * Loads {@code version} of {@code modelId} and swaps it in for the resident version, without dropping
     * requests: those holding the old version finish on it. Does nothing when the model is not resident (its next
     * use loads the newest version) or is already at that version or newer.
     *
     * @return true when the new version now serves
     */
    public boolean reload(String modelId, int version) {
        int from;
        synchronized (this) {
            requireOpen();
            LoadedModel current = resident.get(modelId);
            if (current == null || current.version() >= version) {
                return false;
            }
            from = current.version();
        }
        LoadedModel fresh = open(() -> source.open(modelId, version));
        List<LoadedModel> retire = new ArrayList<>();
        boolean swapped;
        synchronized (this) {
            swapped = !closed && install(fresh, retire) == fresh;
            if (closed) {
                retire.add(fresh);
            }
        }
        retireAll(retire);
        if (swapped) {
            listener.reloaded(modelId, from, version);
            LOG.infof("model %s: version %d now serves (was %d); requests in flight finish on version %d",
                    modelId, version, from, from);
        }
        return swapped;
    }

    private LoadedModel open(java.util.function.Supplier<Classifier> opener) {
        long started = System.nanoTime();
        Classifier classifier = opener.get();
        try {
            warmUp.accept(classifier);
        } catch (RuntimeException | Error e) {
            classifier.close();
            throw e;
        }
        listener.loaded(classifier.modelId(), classifier.version(), System.nanoTime() - started);
        LOG.infof("model %s v%d loaded (%.1f MB of parameters) in %d ms", classifier.modelId(), classifier.version(),
                classifier.parameterBytes() / 1e6, (System.nanoTime() - started) / 1_000_000);
        return new LoadedModel(classifier);
    }

    /**
     * Makes {@code model} the resident version unless a newer or equal one already is; collects what must be
     * retired (the loser, the replaced version, evictions). Returns the model that now serves.
     */
    private LoadedModel install(LoadedModel model, List<LoadedModel> retire) {
        LoadedModel current = resident.get(model.modelId());
        if (current != null && current.version() >= model.version()) {
            retire.add(model);
            return current;
        }
        resident.put(model.modelId(), model);
        residentBytes += model.parameterBytes();
        if (current != null) {
            residentBytes -= current.parameterBytes();
            retire.add(current);
        }
        evictBeyondLimits(model.modelId(), retire);
        return model;
    }

    private void evictBeyondLimits(String keep, List<LoadedModel> retire) {
        Iterator<Map.Entry<String, LoadedModel>> eldestFirst = resident.entrySet().iterator();
        while ((resident.size() > limits.maxModels() || residentBytes > limits.maxBytes()) && eldestFirst.hasNext()) {
            Map.Entry<String, LoadedModel> e = eldestFirst.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            eldestFirst.remove();
            LoadedModel evicted = e.getValue();
            residentBytes -= evicted.parameterBytes();
            retire.add(evicted);
            listener.evicted(evicted.modelId(), evicted.version());
            LOG.infof("model %s v%d evicted (least recently used; %d in flight finish first)", evicted.modelId(),
                    evicted.version(), evicted.leases());
        }
    }

    private static void retireAll(List<LoadedModel> models) {
        for (LoadedModel m : models) {
            try {
                m.retire();
            } catch (RuntimeException e) {
                LOG.warnf(e, "closing model %s failed", m);
            }
        }
    }

    private static LoadedModel await(CompletableFuture<LoadedModel> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model to load", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the model cache is closed");
        }
    }

    /** Whether a version of the model is loaded now (without touching its recency). */
    public synchronized boolean isResident(String modelId) {
        return resident.containsKey(modelId);
    }

    /** The resident models, least recently used first. */
    public synchronized List<Resident> residents() {
        List<Resident> list = new ArrayList<>();
        for (LoadedModel m : resident.values()) {
            list.add(new Resident(m.modelId(), m.version(), m.parameterBytes(), m.leases()));
        }
        return list;
    }

    public synchronized long residentBytes() {
        return residentBytes;
    }

    public synchronized int size() {
        return resident.size();
    }

    /** Retires every model; those still leased close when their requests finish. */
    @Override
    public void close() {
        List<LoadedModel> retire;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            retire = new ArrayList<>(resident.values());
            resident.clear();
            residentBytes = 0;
        }
        retireAll(retire);
    }
}
