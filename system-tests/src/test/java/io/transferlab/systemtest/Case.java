package io.transferlab.systemtest;

import java.util.Set;
import java.util.function.Supplier;

/**
 * One bad-input case: a request to one service and the statuses the documentation allows for it. The request is
 * built when the case runs (some bodies are large), not when JUnit lists the cases.
 *
 * @param name what the case sends, unique, shown by JUnit and in every failure
 * @param group the table it comes from, for counting
 * @param allowed the documented answers; 503 only where the documentation names it (with Retry-After)
 * @param invalidHttp the request is not valid HTTP/1.1 (a request target that is no URI, a control character in a
 *        header, a Content-Length that is no number, broken chunk framing): the HTTP layer refuses it before any
 *        service code runs, with 400 and an empty body or by closing the connection (docs/api.md, "Hostile input")
 */
record Case(String name, String group, Service service, Supplier<RawHttp.Request> request, Set<Integer> allowed,
        boolean invalidHttp) {

    /** Which service a case is sent to. */
    enum Service { GATEWAY, INFERENCE, TUNER }

    Case {
        allowed = Set.copyOf(allowed);
    }

    static Case of(String group, Service service, String name, Set<Integer> allowed,
            Supplier<RawHttp.Request> request) {
        return new Case(group + ": " + name, group, service, request, allowed, false);
    }

    /** This case, as one the HTTP layer refuses when {@code invalid} says its request is not valid HTTP. */
    Case invalidHttpIf(boolean invalid) {
        return invalid ? new Case(name, group, service, request, Set.of(400), true) : this;
    }

    static Set<Integer> statuses(Integer... statuses) {
        return Set.of(statuses);
    }

    @Override
    public String toString() {
        return name;
    }
}
