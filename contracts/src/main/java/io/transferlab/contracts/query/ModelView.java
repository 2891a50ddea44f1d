package io.transferlab.contracts.query;

import io.transferlab.contracts.model.ModelPublished;
import java.util.List;

/**
 * A model as {@code GET /models/{id}} shows it: its latest card and every published version.
 *
 * @param latest the card of the newest version (as announced on {@code vision.models})
 * @param versions every version number, oldest first
 */
public record ModelView(String modelId, int latestVersion, ModelPublished latest, List<Integer> versions) {
}
