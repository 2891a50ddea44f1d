package io.transferlab.trainer;

import static io.restassured.RestAssured.given;

import io.transferlab.testsupport.ManagementEndpoints;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trainer's cancel counters on its metrics endpoint: the control consumer is separate from the request
 * consumer, so a test waits on these to know that a cancel was heard (or refused) before it goes on.
 */
final class CancelCounters {

    private CancelCounters() {
    }

    /** Cancels the trainer has heard so far. */
    static double heard() {
        return counter("transferlab_trainer_cancels_received_total");
    }

    /** Cancels the trainer ignored because their sender may not act on the run's owner. */
    static double refused() {
        return counter("transferlab_trainer_cancels_refused_total");
    }

    private static double counter(String name) {
        String metrics = given().get(ManagementEndpoints.metrics()).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
