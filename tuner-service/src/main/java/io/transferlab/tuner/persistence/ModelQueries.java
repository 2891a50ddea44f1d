package io.transferlab.tuner.persistence;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.model.ModelPublished;
import io.transferlab.contracts.query.ModelView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Models as the HTTP API shows them: the latest card of each model id and its version numbers. */
@ApplicationScoped
public class ModelQueries {

    private record Version(String modelId, int version, String card) {
    }

    private final Jdbc jdbc;

    public ModelQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<ModelView> list() {
        return group(jdbc.query("SELECT model_id, version, CAST(card AS text) AS card FROM model ORDER BY model_id, version",
                rs -> new Version(rs.getString("model_id"), rs.getInt("version"), rs.getString("card"))));
    }

    public Optional<ModelView> find(String modelId) {
        return group(jdbc.query("""
                SELECT model_id, version, CAST(card AS text) AS card FROM model WHERE model_id = ? ORDER BY version
                """, rs -> new Version(rs.getString("model_id"), rs.getInt("version"), rs.getString("card")), modelId))
                .stream().findFirst();
    }

    /** Rows come ordered by model id and version, so the last row of each model is its latest version. */
    private static List<ModelView> group(List<Version> rows) {
        Map<String, List<Version>> byModel = new LinkedHashMap<>();
        rows.forEach(v -> byModel.computeIfAbsent(v.modelId(), k -> new ArrayList<>()).add(v));
        List<ModelView> out = new ArrayList<>();
        byModel.forEach((id, versions) -> {
            Version latest = versions.get(versions.size() - 1);
            out.add(new ModelView(id, latest.version(), Json.read(latest.card(), ModelPublished.class),
                    versions.stream().map(Version::version).toList()));
        });
        return out;
    }
}
