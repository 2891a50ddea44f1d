package io.transferlab.systemtest;

import static io.transferlab.systemtest.Case.statuses;

import io.transferlab.systemtest.Case.Service;
import io.transferlab.systemtest.RawHttp.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Bad input for the tuner's internal query API (docs/tuner.md), with the gateway's key for it (role read). */
final class TunerCases {

    private TunerCases() {
    }

    static List<Case> all() {
        List<Case> all = new ArrayList<>();
        all.addAll(authentication());
        all.addAll(ids());
        all.addAll(queryParameters());
        return all;
    }

    private static Case keyed(String group, String name, Set<Integer> allowed, Supplier<Request> request) {
        return Case.of(group, Service.TUNER, name, allowed, () -> request.get().bearer(Stack.TUNER_KEY));
    }

    static List<Case> authentication() {
        List<String> paths = List.of("/api/v1/runs", "/api/v1/runs/" + GatewayCases.UNKNOWN_RUN, "/api/v1/studies",
                "/api/v1/studies/" + GatewayCases.UNKNOWN_STUDY, "/api/v1/models",
                "/api/v1/models/" + GatewayCases.UNKNOWN_MODEL);
        Map<String, String> auth = Hostile.authorizations(Stack.TUNER_KEY);
        auth.put("the gateway's public key", "Bearer " + Stack.API_KEY);
        List<Case> cases = new ArrayList<>();
        for (String path : paths) {
            auth.forEach((what, header) -> cases.add(Case.of("tuner auth", Service.TUNER, "GET " + path + " with "
                    + what, statuses(401), () -> {
                        Request r = RawHttp.request("GET", path);
                        return header == null ? r : r.header("Authorization", header);
                    })));
        }
        return cases;
    }

    /** Unknown ids (404) and hostile ones (400, or no route) in every path with an id. */
    static List<Case> ids() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        unknown.put("runs", GatewayCases.UNKNOWN_RUN);
        unknown.put("studies", GatewayCases.UNKNOWN_STUDY);
        unknown.put("models", GatewayCases.UNKNOWN_MODEL);
        unknown.forEach((kind, id) -> {
            cases.add(keyed("tuner unknown id", "GET /api/v1/" + kind + "/{unknown}", statuses(404),
                    () -> RawHttp.request("GET", "/api/v1/" + kind + "/" + id)));
            Hostile.ids().forEach((what, hostile) -> cases.add(keyed("tuner id", "GET /api/v1/" + kind + "/{" + what
                    + "}", Hostile.idStatuses(), () -> RawHttp.request("GET", Hostile.target("/api/v1/" + kind + "/",
                            hostile, ""))).invalidHttpIf(Hostile.invalidHttp(what))));
        });
        return cases;
    }

    static List<Case> queryParameters() {
        List<Case> cases = new ArrayList<>();
        for (String list : List.of("runs", "studies")) {
            for (String query : List.of("limit=-1", "limit=0", "limit=abc", "limit=1.5", "limit=99999999999",
                    "limit=100000", "status=NOPE", "status=%00", "status=" + "s".repeat(300), "status=%FF")) {
                cases.add(keyed("tuner query", "GET /api/v1/" + list + "?" + shorten(query), statuses(400),
                        () -> RawHttp.request("GET", "/api/v1/" + list + "?" + query)));
            }
        }
        cases.add(keyed("tuner query", "GET /api/v1/runs?studyId=<traversal>", statuses(200, 400),
                () -> RawHttp.request("GET", "/api/v1/runs?studyId=..%2F..%2Fx")));
        cases.add(keyed("tuner query", "GET /api/v1/runs?studyId=<sql>", statuses(200, 400),
                () -> RawHttp.request("GET", "/api/v1/runs?studyId=x'%20OR%20'1'%3D'1")));
        return cases;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
