package io.transferlab.contracts.query;

import io.transferlab.contracts.model.ModelPublished;
import java.util.List;

/**
 * A model as {@code GET /models/{id}} shows it: its latest card and every published version.
 *
 * @param latest the card of the newest version (as announced on {@code vision.models})
 * @param versions every version number, oldest first
 * @param owner the API key that owns the model id: the owner of its latest version (null: published before owners
 *        were recorded; any key with the train role may publish into it)
 */
public record ModelView(String modelId, int latestVersion, ModelPublished latest, List<Integer> versions,
        String owner) {
}
