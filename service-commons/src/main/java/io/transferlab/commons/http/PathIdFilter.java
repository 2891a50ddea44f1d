package io.transferlab.commons.http;

import io.transferlab.commons.problem.ProblemMappers;
import io.transferlab.contracts.validation.Violations;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every id in a path (runs, studies, models, data sets, classifications, OIP model names and versions) has the
 * shape of the ids the services hand out (contracts' {@link Violations#ID}); anything else (a NUL byte, a slash,
 * 5,000 characters) is a 400 here, before it reaches a store, a database or another service.
 */
public class PathIdFilter {

    @ServerRequestFilter
    public Response check(UriInfo uri) {
        for (Map.Entry<String, List<String>> param : uri.getPathParameters().entrySet()) {
            for (String value : param.getValue()) {
                if (!Violations.ID.matcher(value).matches()) {
                    return ProblemMappers.invalidField(param.getKey(), "must be 1-64 letters, digits, '.', '_' or "
                            + "'-', starting with a letter or digit (ids are never anything else)");
                }
            }
        }
        return null;
    }
}
