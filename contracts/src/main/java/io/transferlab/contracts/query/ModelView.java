package io.transferlab.contracts.query;

import io.transferlab.contracts.model.ModelPublished;
import java.util.List;
import java.util.Map;

/**
 * A model as {@code GET /models/{id}} shows it: its latest card and every published version.
 *
 * @param latest the card of the newest version (as announced on {@code vision.models})
 * @param versions every version number, oldest first
 * @param owner the API key that owns the model id: the owner of its latest version (null: published before owners
 *        were recorded; any key with the train role may publish into it)
 * @param aliases every alias set on the model and the version it names ({@code {"production": 3}}); empty when none
 */
public record ModelView(String modelId, int latestVersion, ModelPublished latest, List<Integer> versions,
        String owner, Map<String, Integer> aliases) {

    public ModelView {
        // sorted, so that the JSON lists aliases in the same order every time; absent (an older tuner): none
        aliases = aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(aliases));
    }

    /** A model without aliases. */
    public ModelView(String modelId, int latestVersion, ModelPublished latest, List<Integer> versions, String owner) {
        this(modelId, latestVersion, latest, versions, owner, Map.of());
    }
}
