package io.transferlab.tuner.persistence;

import io.transferlab.contracts.query.ModelView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Models as the HTTP API shows them: the latest card of each model id, its version numbers and its aliases. */
@ApplicationScoped
public class ModelQueries {

    private final ModelRepository models;

    public ModelQueries(ModelRepository models) {
        this.models = models;
    }

    public List<ModelView> list() {
        return group(models.allVersions(), models.setAliases(null));
    }

    public Optional<ModelView> find(String modelId) {
        return group(models.versions(modelId), models.setAliases(modelId)).stream().findFirst();
    }

    /**
     * Rows come ordered by model id and version, so the last row of each model is its latest version, whose owner
     * owns the model id. An alias of a model with no recorded version (its announcement not read yet) is not shown:
     * there is no model to show.
     */
    private static List<ModelView> group(List<ModelVersionEntity> rows, List<ModelAliasEntity> aliases) {
        Map<String, List<ModelVersionEntity>> byModel = new LinkedHashMap<>();
        rows.forEach(v -> byModel.computeIfAbsent(v.modelId, k -> new ArrayList<>()).add(v));
        Map<String, Map<String, Integer>> aliasesByModel = new HashMap<>();
        aliases.forEach(a -> aliasesByModel.computeIfAbsent(a.modelId, k -> new HashMap<>()).put(a.alias, a.version));
        List<ModelView> out = new ArrayList<>();
        byModel.forEach((id, versions) -> {
            ModelVersionEntity latest = versions.get(versions.size() - 1);
            out.add(new ModelView(id, latest.version, latest.card, versions.stream().map(v -> v.version).toList(),
                    latest.card == null ? null : latest.card.owner(), aliasesByModel.getOrDefault(id, Map.of())));
        });
        return out;
    }
}
