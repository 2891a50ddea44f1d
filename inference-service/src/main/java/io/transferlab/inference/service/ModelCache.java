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
 * The loaded model versions, bounded by count and by parameter memory, least recently used evicted first. Entries
 * are model versions: {@link #acquire(String)} leases a model's newest version, {@link #acquire(String, int)}
 * exactly the version asked for (a pinned request, or the version an alias names); both can be resident at once.
 * A version is loaded on first use (concurrent first uses wait for one load); the newest version is swapped for a
 * newer one by {@link #reload}. Evicted and replaced versions are retired: requests that already hold a lease
 * finish on them, and they are closed when the last lease is released.
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

    /** A resident entry: one version of one model. */
    private record VersionKey(String modelId, int version) {
    }

    /** What a load was started for: a model's newest version ({@code version} null) or exactly one version. */
    private record LoadKey(String modelId, Integer version) {
    }

    private final ModelSource source;
    private final Limits limits;
    private final Consumer<Classifier> warmUp;
    private final Listener listener;
    /** Access order: iteration starts at the least recently used version. */
    private final LinkedHashMap<VersionKey, LoadedModel> resident = new LinkedHashMap<>(16, 0.75f, true);
    /** Per model id, the resident version that requests for the newest version get (and {@link #reload} replaces). */
    private final Map<String, VersionKey> newest = new HashMap<>();
    private final Map<LoadKey, CompletableFuture<LoadedModel>> loading = new HashMap<>();
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
     * A lease on the newest loaded version of {@code modelId}, loading the newest version in the store when none
     * is resident.
     *
     * @throws io.transferlab.vision.VisionException when the model is unknown, lacks weights or cannot be loaded
     */
    public ModelLease acquire(String modelId) {
        return acquire(new LoadKey(modelId, null));
    }

    /**
     * A lease on exactly {@code version} of {@code modelId}, loading it when it is not resident. A version leased
     * this way stays resident when a newer version is announced (it is evicted only as least recently used).
     *
     * @throws io.transferlab.vision.VisionException when the model or that version is unknown, lacks weights or
     *         cannot be loaded
     */
    public ModelLease acquire(String modelId, int version) {
        return acquire(new LoadKey(modelId, version));
    }

    private ModelLease acquire(LoadKey wanted) {
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<LoadedModel> pending;
            boolean loader = false;
            synchronized (this) {
                requireOpen();
                LoadedModel model = residentFor(wanted);
                if (model != null && model.tryAcquire()) {
                    listener.hit(wanted.modelId());
                    return lease(model, wanted);
                }
                listener.miss(wanted.modelId());
                pending = loading.get(wanted);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    loading.put(wanted, pending);
                    loader = true;
                }
            }
            if (loader) {
                load(wanted, pending);
            }
            LoadedModel model = await(pending);
            if (model.tryAcquire()) {
                return lease(model, wanted);
            }
            // Evicted or replaced between its load and this lease (a cache smaller than its traffic): look again.
            if (attempt == ACQUIRE_ATTEMPTS) {
                throw new IllegalStateException("model " + wanted.modelId() + " was evicted " + attempt + " times "
                        + "before it could serve: the model cache (" + limits + ") is too small for the traffic");
            }
        }
    }

    /** The resident entry that serves {@code wanted}, touching its recency; null when there is none. */
    private LoadedModel residentFor(LoadKey wanted) {
        VersionKey key = wanted.version() == null ? newest.get(wanted.modelId())
                : new VersionKey(wanted.modelId(), wanted.version());
        return key == null ? null : resident.get(key);
    }

    private static ModelLease lease(LoadedModel model, LoadKey wanted) {
        if (wanted.version() != null) {
            model.markLeasedByVersion();
        }
        return new ModelLease(model);
    }

    private void load(LoadKey wanted, CompletableFuture<LoadedModel> pending) {
        LoadedModel model;
        try {
            model = open(() -> wanted.version() == null ? source.open(wanted.modelId())
                    : source.open(wanted.modelId(), wanted.version()));
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                loading.remove(wanted);
            }
            pending.completeExceptionally(e);
            return;
        }
        LoadedModel winner;
        List<LoadedModel> retire = new ArrayList<>();
        synchronized (this) {
            loading.remove(wanted);
            winner = closed ? null : install(model, wanted.version() == null, retire);
        }
        if (winner == null) {
            retire.add(model);
        }
        retireAll(retire);
        if (winner == null) {
            pending.completeExceptionally(new IllegalStateException("the model cache is closed"));
        } else {
            pending.complete(winner);
        }
    }

    /**
     * Loads {@code version} of {@code modelId} and makes it the newest version, without dropping requests: those
     * holding the old version finish on it. The old version is retired unless it was also leased by its version
     * number (a pin or an alias), which keeps it resident for those. Does nothing when no version of the model is
     * resident as its newest (its next use loads the newest version) or the newest is already that version or newer.
     *
     * @return true when the new version now serves requests for the newest version
     */
    public boolean reload(String modelId, int version) {
        int from;
        List<LoadedModel> retire = new ArrayList<>();
        synchronized (this) {
            requireOpen();
            VersionKey current = newest.get(modelId);
            if (current == null || current.version() >= version) {
                return false;
            }
            from = current.version();
            LoadedModel already = resident.get(new VersionKey(modelId, version));
            if (already != null) {
                // leased by its version before it was announced here: it only has to become the newest
                install(already, true, retire);
            }
        }
        if (!isNewest(modelId, version)) {
            LoadedModel fresh = open(() -> source.open(modelId, version));
            synchronized (this) {
                if (closed) {
                    retire.add(fresh);
                } else {
                    install(fresh, true, retire);
                }
            }
        }
        retireAll(retire);
        boolean swapped = isNewest(modelId, version);
        if (swapped) {
            listener.reloaded(modelId, from, version);
            LOG.infof("model %s: version %d now serves (was %d); requests in flight finish on version %d",
                    modelId, version, from, from);
        }
        return swapped;
    }

    private synchronized boolean isNewest(String modelId, int version) {
        VersionKey key = newest.get(modelId);
        return key != null && key.version() == version;
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
     * Makes {@code model} resident (or finds the entry of its version that already is) and, when
     * {@code asNewest}, the newest version of its model unless a newer one already is; collects what must be retired
     * (a duplicate load, the replaced newest version, evictions). Returns the entry that serves the request the
     * model was loaded for.
     */
    private LoadedModel install(LoadedModel model, boolean asNewest, List<LoadedModel> retire) {
        VersionKey key = new VersionKey(model.modelId(), model.version());
        LoadedModel serving = resident.get(key);
        if (serving == null) {
            resident.put(key, model);
            residentBytes += model.parameterBytes();
            serving = model;
        } else if (serving != model) {
            retire.add(model);
        }
        if (asNewest) {
            VersionKey current = newest.get(key.modelId());
            if (current == null || current.version() < key.version()) {
                newest.put(key.modelId(), key);
                LoadedModel replaced = current == null ? null : resident.get(current);
                if (replaced != null && !replaced.leasedByVersion()) {
                    drop(current, retire);
                }
            } else if (current.version() > key.version()) {
                // a newer version became the newest while this one loaded: that one serves, this one goes unless
                // something leased it by its version
                if (serving == model && !model.leasedByVersion()) {
                    drop(key, retire);
                }
                serving = resident.get(current);
                key = current;
            }
        }
        evictBeyondLimits(key, retire);
        return serving;
    }

    private void drop(VersionKey key, List<LoadedModel> retire) {
        LoadedModel gone = resident.remove(key);
        if (gone != null) {
            residentBytes -= gone.parameterBytes();
            retire.add(gone);
        }
        newest.remove(key.modelId(), key);
    }

    private void evictBeyondLimits(VersionKey keep, List<LoadedModel> retire) {
        Iterator<Map.Entry<VersionKey, LoadedModel>> eldestFirst = resident.entrySet().iterator();
        while ((resident.size() > limits.maxModels() || residentBytes > limits.maxBytes()) && eldestFirst.hasNext()) {
            Map.Entry<VersionKey, LoadedModel> e = eldestFirst.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            eldestFirst.remove();
            newest.remove(e.getKey().modelId(), e.getKey());
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
        return resident.keySet().stream().anyMatch(k -> k.modelId().equals(modelId));
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
            newest.clear();
            residentBytes = 0;
        }
        retireAll(retire);
    }
}
