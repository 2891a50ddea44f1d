package io.transferlab.trainer.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.validation.Violations;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What trainers know about runs, kept on the model store's shared volume in {@code <store>/_runs/} (a folder name
 * that is not a valid model id, so it never clashes with a model):
 * <ul>
 *   <li>{@code <runId>.json}: the final result of a run. A redelivered request whose run finished republishes it
 *   instead of training again; it is written before the result is published and the request acknowledged.</li>
 *   <li>{@code <runId>.lease}: which replica is training the run, refreshed while it trains. A replica that receives
 *   the same request (a rebalance moved its partition) waits while the lease is fresh and takes over once it is
 *   older than the lease timeout (its holder died without releasing it).</li>
 *   <li>The lease also counts the trainers that died holding it: taking over a stale lease (its holder died without
 *   releasing it) adds one. The count outlives a clean release (shutdown), so that deaths on either side of a
 *   restart add up; a run whose count reaches the configured limit is not trained again (TRAINER_CRASHED).</li>
 * </ul>
 * Leases compare the holder's clock with the reader's: the nodes' clocks must agree to well within the timeout.
 */
public final class RunLedger {

    private static final Logger LOG = Logger.getLogger(RunLedger.class);
    public static final String FOLDER = "_runs";

    /** Results written by a newer trainer may carry fields this one does not know: read them anyway. */
    private static final ObjectMapper READER = Json.configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One monitor per ledger folder for the whole JVM (plain objects, no native resources). */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Duration leaseTimeout;
    private final Clock clock;

    public RunLedger(Path storeRoot, Duration leaseTimeout, Clock clock) {
        this.dir = storeRoot.toAbsolutePath().normalize().resolve(FOLDER);
        this.leaseTimeout = leaseTimeout;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /** The result of a run that finished, if any replica recorded one. */
    public Optional<TrainResult> finished(String runId) {
        Path file = resultFile(runId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(READER.readValue(file.toFile(), TrainResult.class));
        } catch (IOException e) {
            // Written atomically, so this is damage from outside: train again rather than republish garbage.
            LOG.warnf("run %s: unreadable recorded result %s (%s); the run will be trained again", runId, file,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Records a final result atomically (readers see the old state or the whole file). */
    public void record(TrainResult result) {
        writeAtomically(resultFile(result.runId()), Json.writeBytes(result));
    }

    /**
     * Takes the lease of a run, or says who holds it. A granted claim says how many holders died holding the lease
     * before: one more than the stale lease said when this takes it over, as many as a released lease said.
     */
    public Claim claim(String runId, String holder) {
        Path file = leaseFile(runId);
        return locked("take the lease of run " + runId, () -> {
            Optional<Lease> current = readLease(file);
            boolean someoneElses = current.isPresent() && !current.get().released()
                    && !current.get().holder().equals(holder);
            if (someoneElses && isFresh(current.get())) {
                return Claim.heldBy(current.get(), age(current.get()));
            }
            int deaths = current.map(Lease::deaths).orElse(0);
            if (someoneElses) {
                deaths++;
                LOG.warnf("run %s: taking over from %s, whose lease is %d s old (it stopped without releasing it; "
                        + "trainers that died running this run: %d)", runId, current.get().holder(),
                        age(current.get()).toSeconds(), deaths);
            }
            writeAtomically(file, Json.writeBytes(new Lease(holder, clock.instant(), deaths, false)));
            return Claim.granted(deaths);
        });
    }

    /** Refreshes a lease this holder has; a lease someone else took over is left alone. */
    public void heartbeat(String runId, String holder) {
        Path file = leaseFile(runId);
        locked("refresh the lease of run " + runId, () -> {
            Optional<Lease> current = readLease(file);
            if (current.isPresent() && current.get().holder().equals(holder) && !current.get().released()) {
                writeAtomically(file, Json.writeBytes(new Lease(holder, clock.instant(), current.get().deaths(),
                        false)));
            }
            return null;
        });
    }

    /**
     * Gives a lease up, so that another replica can run the request at once. A lease that counts deaths stays
     * behind, marked released, so that the count survives.
     */
    public void release(String runId, String holder) {
        Path file = leaseFile(runId);
        locked("release the lease of run " + runId, () -> {
            Optional<Lease> current = readLease(file);
            if (current.isPresent() && current.get().holder().equals(holder) && !current.get().released()) {
                if (current.get().deaths() == 0 || Files.isRegularFile(resultFile(runId))) {
                    Files.deleteIfExists(file);
                } else {
                    writeAtomically(file, Json.writeBytes(new Lease(holder, clock.instant(), current.get().deaths(),
                            true)));
                }
            }
            return null;
        });
    }

    /** Who holds the lease of a run now, if anyone (fresh or not). */
    public Optional<Lease> lease(String runId) {
        return readLease(leaseFile(runId));
    }

    /**
     * Runs {@code action} while holding the ledger's lock: a monitor shared by every ledger on this folder in this
     * JVM (a file lock is held per process: a second one from the same JVM would fail, not wait) and a file lock on
     * the shared volume (other replicas), so that "look, then write" is one step.
     */
    private <T> T locked(String what, IoAction<T> action) {
        synchronized (MONITORS.computeIfAbsent(dir, d -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    return action.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot " + what + " in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    private boolean isFresh(Lease lease) {
        return age(lease).compareTo(leaseTimeout) < 0;
    }

    private Duration age(Lease lease) {
        return Duration.between(lease.heartbeatAt(), clock.instant());
    }

    private Optional<Lease> readLease(Path file) {
        try {
            return Optional.of(READER.readValue(Files.readAllBytes(file), Lease.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warnf("unreadable lease %s (%s): treated as absent", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Path resultFile(String runId) {
        return dir.resolve(safe(runId) + ".json");
    }

    private Path leaseFile(String runId) {
        return dir.resolve(safe(runId) + ".lease");
    }

    /** Run ids become file names: only the contract's id shape is accepted (no separators, no dot-dot). */
    private static String safe(String runId) {
        if (runId == null || !Violations.ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' is not a valid id");
        }
        return runId;
    }

    private void writeAtomically(Path target, byte[] content) {
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(content);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("temporary file clash for " + target, e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover hidden temp file is never read
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The content of a lease file.
     *
     * @param deaths holders that died holding this lease before the current one (absent in older files: 0)
     * @param released the holder gave it up cleanly; kept only to carry {@code deaths}
     */
    public record Lease(String holder, Instant heartbeatAt, int deaths, boolean released) {
    }

    /**
     * The answer to {@link #claim}: taken (after {@code deaths} holders died holding it), or held by someone else
     * for {@code age} since their last heartbeat.
     */
    public record Claim(boolean taken, Lease heldBy, Duration age, int deaths) {

        static Claim granted(int deaths) {
            return new Claim(true, null, Duration.ZERO, deaths);
        }

        static Claim heldBy(Lease lease, Duration age) {
            return new Claim(false, lease, age, lease.deaths());
        }
    }
}
