package io.transferlab.vision.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.validation.Violations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's layout and what it holds, read only: {@code <root>/<modelId>/v<version>/model-card.json}. Listing
 * sees only published {@code v<n>} folders, never the hidden temporary ones a publish writes into, so readers never
 * see half a model. The writer ({@link VersionWriter}) and the loader ({@link ModelLoader}) find folders here.
 */
final class ModelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");

    /** Cards written by a newer TransferLab may have fields this one does not know: read them anyway. */
    static final ObjectMapper CARDS = Json.configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    ModelCatalog(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Every version of every model, by model id then version. */
    List<ModelCard> list() {
        List<ModelCard> cards = new ArrayList<>();
        for (String id : modelIds()) {
            cards.addAll(versions(id));
        }
        return cards;
    }

    /** The versions of one model, oldest first. */
    List<ModelCard> versions(String modelId) {
        List<ModelCard> cards = new ArrayList<>();
        for (int v : versionNumbers(modelId)) {
            readCard(folder(modelId, v)).ifPresent(cards::add);
        }
        return cards;
    }

    Optional<ModelCard> latest(String modelId) {
        List<ModelCard> all = versions(modelId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    Optional<ModelCard> find(String modelId, int version) {
        if (!safeId(modelId)) {
            return Optional.empty();
        }
        return readCard(folder(modelId, version));
    }

    /** The model a training run published, if any. */
    Optional<ModelCard> findByRunId(String runId) {
        return list().stream().filter(c -> runId.equals(c.runId())).reduce((a, b) -> b);
    }

    /** The version folder of a card. */
    Path location(ModelCard card) {
        return folder(card.modelId(), card.version());
    }

    /** The model folders' names, sorted; folders that are no safe id are not models. */
    List<String> modelIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(ModelCatalog::safeId)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The published version numbers of one model, ascending. */
    List<Integer> versionNumbers(String modelId) {
        Path dir = root.resolve(modelId);
        if (!safeId(modelId) || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.map(p -> VERSION_DIR.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path folder(String modelId, int version) {
        return root.resolve(modelId).resolve("v" + version);
    }

    /** Model ids become folder names: only ids the shared id rule accepts, so none can point outside the root. */
    static boolean safeId(String id) {
        return id != null && Violations.ID.matcher(id).matches();
    }

    private Optional<ModelCard> readCard(Path folder) {
        Path file = folder.resolve(ModelCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CARDS.readValue(file.toFile(), ModelCard.class));
        } catch (IOException e) {
            LOG.warn("unreadable model card {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
